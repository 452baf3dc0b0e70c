using System.Globalization;
using System.Text;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>Milvus boolean expressions built from values, every value escaped as a double-quoted string literal.</summary>
internal static class FilterExpression
{
    /// <summary>
    /// <paramref name="value"/> as a Milvus string literal: <c>"</c> and <c>\</c> escaped, control characters as
    /// <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c> (the parser unquotes like Go's <c>strconv.Unquote</c>).
    /// </summary>
    public static string Literal(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (char.IsControl(ch))
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary><c>field == "value"</c>.</summary>
    public static string Equal(string field, string value) => $"{field} == {Literal(value)}";

    /// <summary><c>field in ["a", "b"]</c>.</summary>
    public static string In(string field, IEnumerable<string> values) => $"{field} in [{string.Join(", ", values.Select(Literal))}]";

    /// <summary><c>repo == "r" and path == "p"</c>.</summary>
    public static string File(string repository, string path) =>
        $"{Equal(Constants.FieldRepository, repository)} and {Equal(Constants.FieldPath, path)}";

    /// <summary>Splits <paramref name="values"/> into chunks small enough for one <c>in [...]</c> expression.</summary>
    public static IEnumerable<string[]> Batches(IEnumerable<string> values) => values.Chunk(Constants.MaxTermsPerFilter);
}

/// <summary>
/// A <see cref="ChunkFilter"/> as a Milvus pre-filter expression plus the part that must be checked after (path globs
/// beyond their literal prefix).
/// </summary>
/// <param name="Expression">The pre-filter, or null when the filter admits everything server-side.</param>
/// <param name="PostFilter">The glob the returned paths must match, or null.</param>
/// <param name="MatchesNothing">An empty repository, language or class set: nothing can match, so no request is sent.</param>
internal sealed record SearchFilter(string? Expression, PathGlobMatcher? PostFilter, bool MatchesNothing)
{
    public static SearchFilter From(ChunkFilter? filter)
    {
        if (filter is null)
        {
            return new SearchFilter(null, null, false);
        }

        var classes = filter.AdmittedClasses();
        if (filter.Repositories is { Count: 0 } || filter.Languages is { Count: 0 } || classes is { Count: 0 })
        {
            return new SearchFilter(null, null, true);
        }

        var parts = new List<string>(3);
        if (filter.Repositories is not null)
        {
            parts.Add(FilterExpression.In(Constants.FieldRepository, filter.Repositories.Distinct(StringComparer.Ordinal)));
        }

        if (filter.Languages is not null)
        {
            parts.Add(FilterExpression.In(Constants.FieldLanguage, filter.Languages.Distinct(StringComparer.Ordinal)));
        }

        if (classes is not null)
        {
            parts.Add(FilterExpression.In(Constants.FieldClass, classes.Select(c => c.Name())));
        }

        PathGlobMatcher? post = null;
        if (!string.IsNullOrEmpty(filter.PathGlob))
        {
            var glob = new PathGlobMatcher(filter.PathGlob);
            if (!glob.HasWildcards)
            {
                parts.Add(FilterExpression.Equal(Constants.FieldPath, filter.PathGlob));
            }
            else
            {
                var prefix = glob.PushdownPrefix;
                if (prefix.Length > 0)
                {
                    parts.Add($"{Constants.FieldPath} like {FilterExpression.Literal(prefix + "%")}");
                }

                post = glob;
            }
        }

        return new SearchFilter(parts.Count == 0 ? null : string.Join(" and ", parts), post, false);
    }
}
