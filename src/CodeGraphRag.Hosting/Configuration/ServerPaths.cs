namespace CodeGraphRag.Hosting.Configuration;

/// <summary>
/// Server paths callers may register: a path is resolved to its real form (absolute, no <c>..</c>, every symbolic link
/// followed) before it is compared with the configured allowed roots, so neither <c>..</c> nor a link leads outside them.
/// </summary>
internal static class ServerPaths
{
    /// <summary>Links followed in one resolution before giving up (Linux's ELOOP bound).</summary>
    private const int MaxLinks = 40;

    /// <summary>How this operating system compares paths.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    private static StringComparison Comparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>
    /// The absolute path with <c>..</c> removed and each existing symbolic link among its components replaced by its
    /// final target; components that do not exist are kept as written.
    /// </summary>
    /// <exception cref="IOException">More than 40 links were followed (a cycle).</exception>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(path, ref links);
    }

    /// <summary>Whether <paramref name="realPath"/> (from <see cref="RealPath"/>) is one of <paramref name="roots"/> or inside one.</summary>
    public static bool IsUnder(string realPath, IReadOnlyList<string> roots)
    {
        foreach (var root in roots)
        {
            var trimmed = root.Length > 1 ? root.TrimEnd(Path.DirectorySeparatorChar) : root;
            if (string.Equals(realPath, trimmed, Comparison))
            {
                return true;
            }

            var prefix = trimmed.EndsWith(Path.DirectorySeparatorChar) ? trimmed : trimmed + Path.DirectorySeparatorChar;
            if (realPath.StartsWith(prefix, Comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static string Resolve(string path, ref int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links in '{path}'.");
                }

                // CGR: the target may be relative to the link's folder and may itself pass through links.
                var target = Path.IsPathFullyQualified(info.LinkTarget) ? info.LinkTarget : Path.Combine(current, info.LinkTarget);
                next = Resolve(target, ref links);
            }

            current = next;
        }

        return current.Length > root.Length ? current.TrimEnd(Path.DirectorySeparatorChar) : current;
    }
}
