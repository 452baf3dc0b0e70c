using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>The database checks: <c>PRAGMA quick_check</c> (b-trees, pages, free list) and each FTS5 index's own integrity check.</summary>
internal static class IntegrityCheck
{
    /// <summary>The FTS5 tables; their indexes are derived (from <c>chunks</c>, and from the chunks of each file).</summary>
    public static readonly string[] FullTextTables = ["chunks_fts", "files_fts"];

    /// <summary>The checks <see cref="Run"/> performs, for reports.</summary>
    public const string Description = "SQLite quick_check, FTS5 integrity-check of chunks_fts and files_fts";

    private const int SqliteReadOnly = 8;

    /// <summary>Runs every check; returns one line per problem (empty when the database is healthy).</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="complete">False when a read-only connection could not run the FTS5 checks.</param>
    /// <remarks>Reads the whole database: seconds for a large one.</remarks>
    public static List<string> Run(SqliteConnection connection, out bool complete)
    {
        complete = true;
        var problems = new List<string>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(10)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var line = OneLine(reader.GetString(0));
                if (line != "ok")
                {
                    problems.Add("quick_check: " + line);
                }
            }
        }
        catch (SqliteException ex)
        {
            problems.Add("quick_check: " + Describe(ex));
            return problems;
        }

        // CGR: a database of an older schema version may lack a table; the open migrates it afterwards.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var table in FullTextTables.Where(existing.Contains))
        {
            try
            {
                // CGR: FTS5's 'integrity-check' command; it reads and verifies the index and writes nothing.
                using var command = connection.CreateCommand();
                command.CommandText = $"INSERT INTO {table}({table}) VALUES('integrity-check')";
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteReadOnly)
            {
                // CGR: a read-only connection cannot run the command; quick_check still covered the pages.
                complete = false;
                break;
            }
            catch (SqliteException ex)
            {
                problems.Add($"{table}: {Describe(ex)}");
            }
        }

        return problems;
    }

    /// <summary>SQLite's message as one line.</summary>
    public static string Describe(SqliteException exception) => OneLine(exception.Message).TrimEnd('.');

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
