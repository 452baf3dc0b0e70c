using System.Text.RegularExpressions;

namespace CodeGraphRag.Retrieval.Mentions;

/// <summary>Finds the identifiers a query names, which may resolve to definitions in the symbol table. Thread-safe.</summary>
/// <remarks>
/// An identifier counts when its spelling says it is one: written in backticks, dotted (<c>Cache.evict</c>,
/// <c>click.core.Option</c>) or with <c>::</c>, followed by a call's <c>(</c>, camelCase, PascalCase with two or more
/// capitals, or snake_case. Plain words never count, however often they occur in code (<c>token</c>, <c>parse</c>), and
/// file names (<c>core.py</c>) are left to the path mentions. Names shorter than three characters are ignored.
/// </remarks>
public static partial class SymbolMentions
{
    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "py", "cs", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "java", "kt", "rb", "php", "c", "h", "cc", "cpp", "hpp", "rs",
        "md", "rst", "txt", "json", "yml", "yaml", "toml", "xml", "html", "css", "cfg", "ini", "lock", "sh", "sql", "proto",
        "csproj", "props", "targets", "sln", "gradle", "swift", "scala", "lua", "vue", "io", "com", "org", "net", "dev",
    };

    /// <summary>The identifiers of <paramref name="query"/>, first named first, each once, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<SymbolMention> Extract(string query, int max)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new List<SymbolMention>();
        if (max <= 0)
        {
            return result;
        }

        var seen = new HashSet<(string, string?)>();
        foreach (Match match in Token().Matches(query))
        {
            var backticked = match.Groups["tick"].Success;
            var text = backticked ? match.Groups["tick"].Value : match.Groups["word"].Value;
            var called = !backticked && match.Groups["call"].Success;
            if (text.Contains("://", StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            var segments = text.Replace("::", ".", StringComparison.Ordinal).Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !segments.All(IsIdentifier))
            {
                continue;
            }

            var name = segments[^1];
            if (segments.Length > 1 && FileExtensions.Contains(name))
            {
                continue;
            }

            var dotted = segments.Length > 1;
            if (name.Length < 3 || !(backticked || dotted || called || LooksLikeIdentifier(name)))
            {
                continue;
            }

            var qualifier = dotted ? string.Join('.', segments[..^1]) : null;
            if (seen.Add((name, qualifier)))
            {
                result.Add(new SymbolMention(name, qualifier));
                if (result.Count == max)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>camelCase, PascalCase with two or more capitals, or snake_case (letters on both sides of an underscore).</summary>
    internal static bool LooksLikeIdentifier(string word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '_' && i > 0 && i < word.Length - 1 && char.IsLetterOrDigit(word[i - 1]) && char.IsLetterOrDigit(word[i + 1]))
            {
                return true;
            }

            if (char.IsUpper(c) && i > 0 && char.IsLower(word[i - 1]))
            {
                return true;
            }
        }

        // ALLCAPS words (HTTP, JSON) are acronyms in prose, not identifiers.
        return false;
    }

    private static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsLetterOrDigit(c) || c == '_');

    [GeneratedRegex(@"`(?<tick>[A-Za-z_][\w.:]*)(?:\(\))?`|(?<word>[A-Za-z_][\w]*(?:(?:\.|::)[A-Za-z_]\w*)*)(?<call>\()?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex Token();
}
