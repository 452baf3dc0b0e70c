using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The in-memory LIKE of the import resolution against SQLite's own.</summary>
public sealed class SqlLikeTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void StartsWithAndContains_MixedCaseAndUnicode_SameVerdictsAsSqlite()
    {
        string[] values = ["src/Pkg/Util.py", "src/pkg/util.py", "ÉTÉ/Données.py", "été/données.py", "a_b/c%d.py", "x", "", "Straße/ß.py", "web/SRC/app.ts"];
        string[] literals = ["src/pkg", "SRC/PKG/UTIL", "util", "été", "ÉTÉ", "données", "a_b", "c%d", "", "STRASSE", "straße", "ß", "app.ts", "web/src", "x/y"];
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT $v LIKE $starts ESCAPE '\\', $v LIKE $contains ESCAPE '\\'";
        foreach (var value in values)
        {
            foreach (var literal in literals)
            {
                var escaped = literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$v", value);
                command.Parameters.AddWithValue("$starts", escaped + "%");
                command.Parameters.AddWithValue("$contains", "%" + escaped + "%");
                using var reader = command.ExecuteReader();
                reader.Read();

                Assert.True(reader.GetBoolean(0) == SqlLike.StartsWith(value, literal), $"'{value}' LIKE '{literal}%'");
                Assert.True(reader.GetBoolean(1) == SqlLike.Contains(value, literal), $"'{value}' LIKE '%{literal}%'");
            }
        }
    }
}
