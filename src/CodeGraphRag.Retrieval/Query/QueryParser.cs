using System.Collections.Frozen;
using System.Text;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Query;

/// <summary>
/// Parses inline filters out of a query string: <c>repo:name</c>, <c>lang:python</c>, <c>path:src/**/*.py</c>,
/// <c>kind:code</c> and <c>-kind:test</c> (file classes).
/// </summary>
/// <remarks>
/// <para>
/// Filters may appear anywhere and <c>repo:</c>, <c>lang:</c>, <c>kind:</c> and <c>-kind:</c> may repeat (any of the
/// values matches; <c>kind:</c> also takes a comma-separated list).
/// Keys are case-insensitive; <c>language:</c> is accepted for <c>lang:</c>. A value runs to the next white
/// space, or is quoted: <c>path:"docs/my notes/*"</c> (no escapes inside quotes). A word that merely
/// contains a colon (<c>http://x</c>, <c>std::vector</c>) is text. Everything else is the text, words
/// joined by single spaces and lines by one line break (a pasted stack trace keeps its frames). Thread-safe.
/// </para>
/// <para>
/// Errors (<see cref="QueryParseException"/>): an empty value (<c>repo:</c>, <c>lang:""</c>), an unclosed
/// quote, a second <c>path:</c> (one glob only), and a <c>kind:</c> value that is not a file class.
/// </para>
/// </remarks>
public static class QueryParser
{
    private static readonly FrozenDictionary<string, string> s_languageAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["c#"] = "csharp",
        ["cs"] = "csharp",
        ["csharp"] = "csharp",
        ["c-sharp"] = "csharp",
        ["py"] = "python",
        ["python"] = "python",
        ["python3"] = "python",
        ["js"] = "javascript",
        ["javascript"] = "javascript",
        ["jsx"] = "javascript",
        ["node"] = "javascript",
        ["ts"] = "typescript",
        ["typescript"] = "typescript",
        ["go"] = "go",
        ["golang"] = "go",
        ["java"] = "java",
        ["rs"] = "rust",
        ["rust"] = "rust",
        ["c"] = "c",
        ["h"] = "c",
        ["cpp"] = "cpp",
        ["c++"] = "cpp",
        ["cxx"] = "cpp",
        ["cc"] = "cpp",
        ["hpp"] = "cpp",
        ["rb"] = "ruby",
        ["ruby"] = "ruby",
        ["php"] = "php",
        ["kt"] = "kotlin",
        ["kts"] = "kotlin",
        ["kotlin"] = "kotlin",
        ["md"] = "markdown",
        ["markdown"] = "markdown",
        ["yml"] = "yaml",
        ["yaml"] = "yaml",
        ["json"] = "json",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Splits <paramref name="query"/> into free text and filters.</summary>
    /// <param name="query">The user's query string.</param>
    /// <returns>The text and the filters, each list de-duplicated in order of appearance.</returns>
    /// <exception cref="QueryParseException">A filter is malformed; the message names it.</exception>
    public static ParsedQuery Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = new StringBuilder(query.Length);
        var repositories = new List<string>();
        var languages = new List<string>();
        string? pathGlob = null;
        var classes = new List<FileClass>();
        var excluded = new List<FileClass>();

        var i = 0;
        var newLine = false;
        while (i < query.Length)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                newLine |= query[i] == '\n';
                i++;
                continue;
            }

            var key = MatchKey(query, i);
            if (key is null)
            {
                var start = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]))
                {
                    i++;
                }

                if (text.Length > 0)
                {
                    text.Append(newLine ? '\n' : ' ');
                }

                newLine = false;
                text.Append(query, start, i - start);
                continue;
            }

            var written = query.Substring(i, key.Value.Length);
            i += key.Value.Length;
            var value = ReadValue(query, ref i, written);
            switch (key.Value.Kind)
            {
                case FilterKind.Repository:
                    AddDistinct(repositories, value);
                    break;
                case FilterKind.Language:
                    AddDistinct(languages, NormalizeLanguage(value));
                    break;
                case FilterKind.Class or FilterKind.ExcludedClass:
                    foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!FileClasses.TryParse(name, out var fileClass))
                        {
                            throw new QueryParseException(written, $"Filter '{written}{name}': '{name}' is not a file class; use one of {string.Join(", ", FileClasses.AllNames)}.");
                        }

                        var list = key.Value.Kind == FilterKind.Class ? classes : excluded;
                        if (!list.Contains(fileClass))
                        {
                            list.Add(fileClass);
                        }
                    }

                    break;
                default:
                    if (pathGlob is not null)
                    {
                        throw new QueryParseException(written, $"Filter '{written}' is given twice ('{pathGlob}' and '{value}'); give one path glob.");
                    }

                    pathGlob = value;
                    break;
            }
        }

        return new ParsedQuery(text.ToString(), repositories, languages, pathGlob, classes, excluded);
    }

    /// <summary>The canonical language id for a name or alias (<c>py</c>, <c>c#</c>, <c>golang</c>...); unknown names are returned lower-cased.</summary>
    /// <param name="language">A language name, id or common alias.</param>
    /// <returns>The canonical id such as <c>python</c>, <c>csharp</c>, <c>javascript</c>, <c>typescript</c>, <c>go</c>, <c>cpp</c>.</returns>
    public static string NormalizeLanguage(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var lower = language.Trim().ToLowerInvariant();
        return s_languageAliases.TryGetValue(lower, out var id) ? id : lower;
    }

    private static (FilterKind Kind, int Length)? MatchKey(string query, int i)
    {
        var rest = query.AsSpan(i);
        if (rest.StartsWith("repo:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.Repository, 5);
        }

        if (rest.StartsWith("lang:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.Language, 5);
        }

        if (rest.StartsWith("language:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.Language, 9);
        }

        if (rest.StartsWith("kind:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.Class, 5);
        }

        if (rest.StartsWith("-kind:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.ExcludedClass, 6);
        }

        if (rest.StartsWith("path:", StringComparison.OrdinalIgnoreCase))
        {
            return (FilterKind.Path, 5);
        }

        return null;
    }

    private static string ReadValue(string query, ref int i, string written)
    {
        string value;
        if (i < query.Length && query[i] == '"')
        {
            var close = query.IndexOf('"', i + 1);
            if (close < 0)
            {
                throw new QueryParseException(written, $"Filter '{written}' has an unclosed quote; close it: {written}\"value\".");
            }

            value = query.Substring(i + 1, close - i - 1);
            i = close + 1;
        }
        else
        {
            var start = i;
            while (i < query.Length && !char.IsWhiteSpace(query[i]))
            {
                i++;
            }

            value = query[start..i];
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new QueryParseException(written, $"Filter '{written}' has no value; write it as {written}<value> with no space after the colon.");
        }

        return value.Trim();
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (!list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }

    private enum FilterKind
    {
        Repository,
        Language,
        Path,
        Class,
        ExcludedClass,
    }
}
