namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// Resolves a path as a query writes it (a stack frame's <c>/home/u/site-packages/requests/models.py</c>, a link, a
/// relative <c>../src/app.ts</c>) to stored repository-relative paths: the one rule every chunk store applies in
/// <see cref="IChunkStore.GetMentionedFilesChunksAsync"/>.
/// </summary>
/// <remarks>
/// A stored file matches a mention by the run of trailing path segments they share, at least the file name; the files
/// sharing the longest run win. When more than a given number of files tie, the mention is ambiguous and resolves to
/// none (<c>__init__.py</c> alone names every package). Segments compare ordinally.
/// </remarks>
public static class PathMentions
{
    /// <summary>
    /// <paramref name="mention"/> with <c>\</c> as <c>/</c>, without empty, <c>.</c> and drive segments, and without
    /// everything up to its last <c>..</c> segment; empty when nothing remains.
    /// </summary>
    public static string Normalize(string mention)
    {
        ArgumentNullException.ThrowIfNull(mention);
        var segments = new List<string>();
        foreach (var segment in mention.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                segments.Clear();
            }
            else if (segment != "." && !(segments.Count == 0 && segment.Length == 2 && segment[1] == ':'))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>The last segment of a normalised mention or a stored path.</summary>
    public static string FileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path[(path.LastIndexOf('/') + 1)..];
    }

    /// <summary>How many trailing segments <paramref name="mention"/> (normalised) and <paramref name="path"/> share.</summary>
    public static int SharedTrailingSegments(string mention, string path)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(path);
        var shared = 0;
        int m = mention.Length, p = path.Length;
        while (m > 0 && p > 0)
        {
            var ms = mention.LastIndexOf('/', m - 1);
            var ps = path.LastIndexOf('/', p - 1);
            if (!mention.AsSpan(ms + 1, m - ms - 1).SequenceEqual(path.AsSpan(ps + 1, p - ps - 1)))
            {
                break;
            }

            shared++;
            m = ms;
            p = ps;
        }

        return shared;
    }

    /// <summary>
    /// The files of <paramref name="candidates"/> (typically those with the mention's file name) that share the most
    /// trailing segments with <paramref name="mention"/> (normalised), in their given order; none when no file shares its
    /// file name or more than <paramref name="maxFiles"/> files tie.
    /// </summary>
    public static IReadOnlyList<(string Repository, string Path)> Resolve(string mention, IEnumerable<(string Repository, string Path)> candidates, int maxFiles)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(candidates);
        var best = 0;
        var chosen = new List<(string Repository, string Path)>();
        foreach (var file in candidates)
        {
            var shared = SharedTrailingSegments(mention, file.Path);
            if (shared == 0 || shared < best)
            {
                continue;
            }

            if (shared > best)
            {
                best = shared;
                chosen.Clear();
            }

            chosen.Add(file);
        }

        return chosen.Count <= maxFiles ? chosen : [];
    }

    /// <summary>
    /// Every file the <paramref name="mentions"/> resolve to (<see cref="Resolve"/> over <paramref name="withFileName"/>
    /// of each mention's file name), each once, in the order of the mentions that first resolved to it.
    /// </summary>
    /// <param name="mentions">Paths as a query writes them.</param>
    /// <param name="withFileName">The readable stored files with a given file name.</param>
    /// <param name="maxFiles">The most files one mention may resolve to.</param>
    public static IReadOnlyList<(string Repository, string Path)> ResolveAll(
        IEnumerable<string> mentions, Func<string, IEnumerable<(string Repository, string Path)>> withFileName, int maxFiles)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        ArgumentNullException.ThrowIfNull(withFileName);
        var files = new List<(string Repository, string Path)>();
        var seen = new HashSet<(string, string)>();
        foreach (var mention in mentions)
        {
            var normalized = Normalize(mention);
            if (normalized.Length == 0)
            {
                continue;
            }

            foreach (var file in Resolve(normalized, withFileName(FileName(normalized)), maxFiles))
            {
                if (seen.Add(file))
                {
                    files.Add(file);
                }
            }
        }

        return files;
    }
}
