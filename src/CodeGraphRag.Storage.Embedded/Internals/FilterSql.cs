using System.Text;
using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>A <see cref="ChunkFilter"/> as a WHERE fragment over the <c>chunks</c> table aliased <c>c</c>.</summary>
internal sealed class FilterSql
{
    private readonly string? _repositories;
    private readonly string? _languages;
    private readonly string? _glob;
    private readonly string? _classes;

    private FilterSql(string whereClause, string? repositories, string? languages, string? glob, string? classes)
    {
        _classes = classes;
        WhereClause = whereClause;
        _repositories = repositories;
        _languages = languages;
        _glob = glob;
    }

    public string WhereClause { get; }

    /// <summary>Identifies the filter with its bound values: equal keys admit the same chunks of one database state.</summary>
    public string CacheKey => string.Join('\u0001', WhereClause, _repositories, _languages, _glob, _classes);

    /// <summary>The filter, or null when it admits every chunk.</summary>
    public static FilterSql? From(ChunkFilter? filter)
    {
        var admittedClasses = filter?.AdmittedClasses();
        if (filter is null || (filter.Repositories is null && filter.Languages is null && string.IsNullOrEmpty(filter.PathGlob) && admittedClasses is null))
        {
            return null;
        }

        var parts = new List<string>();
        string? repositories = null, languages = null, glob = null, classes = null;
        if (filter.Repositories is not null)
        {
            parts.Add("c.repository IN (SELECT value FROM json_each($f_repos))");
            repositories = JsonSerializer.Serialize(filter.Repositories);
        }

        if (filter.Languages is not null)
        {
            parts.Add("c.language IN (SELECT value FROM json_each($f_langs))");
            languages = JsonSerializer.Serialize(filter.Languages);
        }

        if (!string.IsNullOrEmpty(filter.PathGlob))
        {
            parts.Add("c.path GLOB $f_glob");
            glob = ToSqliteGlob(filter.PathGlob);
        }

        if (admittedClasses is not null)
        {
            parts.Add("c.class IN (SELECT value FROM json_each($f_classes))");
            classes = JsonSerializer.Serialize(admittedClasses.Select(c => c.Name()));
        }

        return new FilterSql(string.Join(" AND ", parts), repositories, languages, glob, classes);
    }

    public void Bind(SqliteCommand command)
    {
        if (_repositories is not null)
        {
            command.Parameters.AddWithValue("$f_repos", _repositories);
        }

        if (_languages is not null)
        {
            command.Parameters.AddWithValue("$f_langs", _languages);
        }

        if (_glob is not null)
        {
            command.Parameters.AddWithValue("$f_glob", _glob);
        }

        if (_classes is not null)
        {
            command.Parameters.AddWithValue("$f_classes", _classes);
        }
    }

    /// <summary>Our globs know only <c>*</c> and <c>?</c>; SQLite's also treats <c>[</c> as a class, so escape it.</summary>
    internal static string ToSqliteGlob(string glob)
    {
        var builder = new StringBuilder(glob.Length + 4);
        foreach (var ch in glob)
        {
            if (ch == '[')
            {
                builder.Append("[[]");
            }
            else
            {
                builder.Append(ch);
            }
        }

        return builder.ToString();
    }
}
