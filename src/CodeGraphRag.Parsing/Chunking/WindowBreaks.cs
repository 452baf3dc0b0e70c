using CodeGraphRag.Parsing.Languages;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Where a line window may end without overlap: Markdown headings, YAML top-level keys, INI/TOML sections, paragraphs.</summary>
internal sealed class WindowBreaks
{
    private WindowBreaks(bool[] breakBefore, string?[]? headings)
    {
        BreakBefore = breakBefore;
        Headings = headings;
    }

    /// <summary>Indexed by 1-based line: a part may start at this line.</summary>
    public bool[] BreakBefore { get; }

    /// <summary>For Markdown, indexed by 1-based line: the nearest heading at or above the line.</summary>
    public string?[]? Headings { get; }

    public static WindowBreaks Find(string language, SourceLines lines)
    {
        var count = lines.Count;
        var breaks = new bool[count + 2];
        if (language == LanguageIds.Markdown)
        {
            var headings = new string?[count + 2];
            string? current = null;
            var inFence = false;
            for (var line = 1; line <= count; line++)
            {
                var span = lines.Span(line);
                var trimmed = span.TrimStart();
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
                {
                    inFence = !inFence;
                }
                else if (!inFence && IsHeading(span))
                {
                    breaks[line] = true;
                    current = span.Trim().ToString();
                }

                headings[line] = current;
            }

            return new WindowBreaks(breaks, headings);
        }

        for (var line = 2; line <= count; line++)
        {
            var span = lines.Span(line);
            breaks[line] = language switch
            {
                LanguageIds.Yaml => span.Length > 0 && !char.IsWhiteSpace(span[0]) && span[0] is not ('#' or '-' or ']' or '}'),
                LanguageIds.Toml or LanguageIds.Ini => span.TrimStart().StartsWith('['),
                LanguageIds.Json => IsJsonTopLevelKey(span),
                _ => !span.IsWhiteSpace() && lines.IsBlank(line - 1),
            };
        }

        return new WindowBreaks(breaks, null);
    }

    private static bool IsHeading(ReadOnlySpan<char> line)
    {
        var hashes = 0;
        while (hashes < line.Length && line[hashes] == '#')
        {
            hashes++;
        }

        return hashes is >= 1 and <= 6 && (hashes == line.Length || line[hashes] == ' ' || line[hashes] == '\t');
    }

    private static bool IsJsonTopLevelKey(ReadOnlySpan<char> line)
    {
        var indent = 0;
        while (indent < line.Length && (line[indent] == ' ' || line[indent] == '\t'))
        {
            indent++;
        }

        return indent is >= 1 and <= 4 && indent < line.Length && line[indent] == '"';
    }
}
