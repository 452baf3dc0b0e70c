namespace CodeGraphRag.Sources;

/// <summary>The patterns of one ignore file (or option list), relative to the folder that holds it.</summary>
internal sealed class IgnoreRules
{
    private readonly List<Pattern> _patterns;

    private IgnoreRules(string baseDirectory, List<Pattern> patterns)
    {
        BaseDirectory = baseDirectory;
        _patterns = patterns;
    }

    /// <summary>Repository-relative folder the patterns are relative to ("" for the root).</summary>
    public string BaseDirectory { get; }

    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>Parses gitignore syntax: comments, blank lines, <c>!</c> negation, trailing <c>/</c> for folders, anchoring by any inner or leading '/'.</summary>
    public static IgnoreRules Parse(string baseDirectory, IEnumerable<string> lines)
    {
        var patterns = new List<Pattern>();
        foreach (var raw in lines)
        {
            var line = TrimTrailingSpaces(raw.TrimEnd('\r'));
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var negated = false;
            if (line[0] == '!')
            {
                negated = true;
                line = line[1..];
            }
            else if (line.StartsWith("\\!", StringComparison.Ordinal) || line.StartsWith("\\#", StringComparison.Ordinal))
            {
                line = line[1..];
            }

            var directoryOnly = false;
            if (line.EndsWith('/'))
            {
                directoryOnly = true;
                line = line.TrimEnd('/');
            }

            if (line.Length == 0)
            {
                continue;
            }

            var anchored = line.Contains('/', StringComparison.Ordinal);
            if (line[0] == '/')
            {
                line = line[1..];
            }

            patterns.Add(new Pattern(line, negated, directoryOnly, anchored));
        }

        return new IgnoreRules(baseDirectory, patterns);
    }

    /// <summary>Null when no pattern matches; otherwise whether the last matching pattern ignores the path (a negation re-includes).</summary>
    public bool? Evaluate(string path, bool isDirectory)
    {
        ReadOnlySpan<char> relative = path;
        if (BaseDirectory.Length > 0)
        {
            if (path.Length <= BaseDirectory.Length + 1
                || !path.StartsWith(BaseDirectory, StringComparison.Ordinal)
                || path[BaseDirectory.Length] != '/')
            {
                return null;
            }

            relative = path.AsSpan(BaseDirectory.Length + 1);
        }

        var slash = relative.LastIndexOf('/');
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        for (var i = _patterns.Count - 1; i >= 0; i--)
        {
            var pattern = _patterns[i];
            if (pattern.DirectoryOnly && !isDirectory)
            {
                continue;
            }

            var target = pattern.Anchored ? relative : name;
            if (Wildmatch.IsMatch(pattern.Glob, target))
            {
                return !pattern.Negated;
            }
        }

        return null;
    }

    private static string TrimTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end >= 2 && line[end - 2] == '\\'))
        {
            end--;
        }

        return line[..end].Replace("\\ ", " ", StringComparison.Ordinal);
    }

    private sealed record Pattern(string Glob, bool Negated, bool DirectoryOnly, bool Anchored);
}
