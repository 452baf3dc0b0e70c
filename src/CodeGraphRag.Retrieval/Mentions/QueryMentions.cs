using System.Text.RegularExpressions;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Mentions;

/// <summary>
/// Finds the file paths a query names: stack frames (Python, JavaScript, Java, C#, Ruby, PHP, Go), compiler and
/// test-runner output (<c>src/app.ts:12:5</c>), links and paths in prose. Thread-safe.
/// </summary>
/// <remarks>
/// A path is a run of letters, digits and <c>_ . - / \ @ + ~</c> whose file name the caller recognises (by extension:
/// the language registry), so <c>requests.get</c>, <c>2.7.6</c> and <c>e.g.</c> are not paths. A frame's function is
/// taken from the line that names the path: Python's <c>File "...", line 3, in name</c> (pytest's <c>path.py:3: in
/// name</c>), the <c>at [Type.]name(</c> of
/// JavaScript, Java and C#, Ruby's <c>path:3:in 'name'</c>, PHP's <c>#0 path(3): Type->name(</c>; a Go frame's path
/// line follows the line naming its function. The last dotted segment of the name is kept.
/// </remarks>
public static partial class QueryMentions
{
    /// <summary>
    /// The paths of <paramref name="query"/> that <paramref name="isFile"/> accepts, at most <paramref name="max"/>: those
    /// of stack frames first, innermost frame first, then those named elsewhere, in the order they are first named.
    /// </summary>
    /// <param name="query">The query text.</param>
    /// <param name="isFile">Whether a path's file name is one an index could hold (a known extension or name).</param>
    /// <param name="max">The most paths returned.</param>
    public static IReadOnlyList<PathMention> Extract(string query, Func<string, bool> isFile, int max)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(isFile);
        if (max <= 0 || query.Length == 0)
        {
            return [];
        }

        // Ordered by (kind, depth, position): frames innermost first (a Python traceback lists the most recent call last,
        // the other languages' traces first), then paths named elsewhere, first named first. A path keeps its best key.
        var found = new Dictionary<string, (string Path, List<string> Functions, int Count, (int Kind, int Depth, int Position) Order)>(StringComparer.Ordinal);
        var pythonFrames = 0;
        var callFrames = 0;
        var previous = string.Empty;
        foreach (var lineRange in query.AsSpan().Split('\n'))
        {
            var line = query[lineRange];
            var before = previous;
            previous = line;
            var offset = lineRange.Start.GetOffset(query.Length);
            var paths = new List<(string Key, string Path, int Position)>();
            foreach (Match token in PathToken().Matches(line))
            {
                var text = token.Value.TrimEnd('.');
                var key = PathMentions.Normalize(text);
                if (key.Length == 0 || !HasName(key) || !isFile(key))
                {
                    continue;
                }

                paths.Add((key, text, offset + token.Index));
            }

            if (paths.Count == 0)
            {
                continue;
            }

            var (frame, python, function) = paths.Count == 1 ? Frame(line, before) : (false, false, null);
            var depth = !frame ? 0 : python ? -++pythonFrames : ++callFrames;
            foreach (var (key, path, position) in paths)
            {
                var order = (frame ? 0 : 1, depth, position);
                if (!found.TryGetValue(key, out var entry))
                {
                    entry = (path, [], 0, order);
                }

                entry.Count++;
                if (order.CompareTo(entry.Order) < 0)
                {
                    entry.Order = order;
                }

                if (function is not null && !entry.Functions.Contains(function, StringComparer.Ordinal))
                {
                    entry.Functions.Add(function);
                }

                found[key] = entry;
            }
        }

        return found.Values
            .OrderBy(e => e.Order)
            .Take(max)
            .Select(e => new PathMention(e.Path, e.Functions, e.Count))
            .ToList();
    }

    /// <summary>
    /// Whether a line is a stack frame, a Python one, and the simple name of its function (null when unnamed); a Go frame
    /// names its function on the line before (<paramref name="previous"/>).
    /// </summary>
    internal static (bool IsFrame, bool Python, string? Function) Frame(string line, string previous = "")
    {
        var match = PythonFrame().Match(line);
        var python = match.Success;
        if (!python)
        {
            match = CallFrame().Match(line);
        }

        if (!match.Success)
        {
            match = RubyFrame().Match(line);
        }

        if (!match.Success)
        {
            match = PhpFrame().Match(line);
        }

        if (!match.Success && GoFrame().IsMatch(line))
        {
            match = GoFunction().Match(previous);
            if (!match.Success)
            {
                return (true, false, null);
            }
        }

        if (!match.Success)
        {
            return (false, false, null);
        }

        var name = match.Groups["fn"].Value;
        var generic = name.IndexOfAny(['<', '[', '`']);
        if (generic > 0)
        {
            name = name[..generic];
        }

        name = name[(name.LastIndexOf('.') + 1)..];
        return (true, python, name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') ? name : null);
    }

    /// <summary>Whether the file name has something before its extension (<c>.py</c> alone is not a path).</summary>
    private static bool HasName(string path)
    {
        var name = PathMentions.FileName(path);
        var dot = name.LastIndexOf('.');
        return dot != 0 && name.AsSpan(0, dot < 0 ? name.Length : dot).ContainsAnyExcept('.', '-', '~');
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}_.\-/\\@+~]+", RegexOptions.CultureInvariant)]
    private static partial Regex PathToken();

    [GeneratedRegex(@"^\s*(?:File\s+(?:""[^""]+""|\S+?)(?:,\s*line\s+\d+|:\d+),|\S+\.pyw?:\d+:)\s*in\s+(?<fn>[\p{L}_][\p{L}\p{Nd}_.]*)", RegexOptions.CultureInvariant)]
    private static partial Regex PythonFrame();

    [GeneratedRegex(@"^\s*(?:from\s+)?\S+:\d+:in\s+[`'](?:block\s+(?:\(\d+\s+levels\)\s+)?in\s+)?(?:[\p{L}\p{Nd}_:]+[#.])?(?<fn>[\p{L}_][\p{L}\p{Nd}_]*[?!=]?)'", RegexOptions.CultureInvariant)]
    private static partial Regex RubyFrame();

    [GeneratedRegex(@"^\s*#\d+\s+\S+\(\d+\):\s+(?:(?:[\p{L}\p{Nd}_\\]+(?:->|::))?(?<fn>[\p{L}_][\p{L}\p{Nd}_]*)\()?", RegexOptions.CultureInvariant)]
    private static partial Regex PhpFrame();

    [GeneratedRegex(@"^\s+\S+\.go:\d+(?:\s+\+0x[0-9a-f]+)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex GoFrame();

    [GeneratedRegex(@"^(?:[\p{L}\p{Nd}_./-]+?\.)?(?:\(\*?[\p{L}\p{Nd}_]+\)\.)?(?<fn>[\p{L}_][\p{L}\p{Nd}_]*)(?:\.func\d+)*\(", RegexOptions.CultureInvariant)]
    private static partial Regex GoFunction();

    [GeneratedRegex(@"^\s*at\s+(?:async\s+)?(?:new\s+)?(?<fn>[\p{L}_$][\p{L}\p{Nd}_$.<>`\[\]]*?)\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex CallFrame();
}
