namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// Maps an import's module text to a path-like form and matches it against candidate files: the one rule every graph
/// backend resolves imports by (the embedded store at query time, Neo4j at write time and in its traversal Cypher).
/// </summary>
public static class ModulePaths
{
    /// <summary>
    /// Normalises <paramref name="module"/> as written in the file at <paramref name="fromPath"/>:
    /// <c>./x</c>, <c>../x</c> (JS/TS) and <c>.x</c>, <c>..x</c> (Python) resolve against the file's folder (Relative = true);
    /// otherwise <c>::</c>, <c>\</c> and (when there is no <c>/</c>) <c>.</c> become <c>/</c>. A file extension is dropped.
    /// </summary>
    public static (string Path, bool Relative) Normalize(string module, string fromPath)
    {
        var m = module.Trim().Trim('"', '\'', '<', '>', '`');
        if (m.Length == 0)
        {
            return (string.Empty, false);
        }

        var folder = Folder(fromPath);
        if (m == "." || m == ".." || m.StartsWith("./", StringComparison.Ordinal) || m.StartsWith("../", StringComparison.Ordinal))
        {
            return (StripExtension(Combine(folder, m.Replace('\\', '/'))), true);
        }

        if (m[0] == '.')
        {
            var dots = 0;
            while (dots < m.Length && m[dots] == '.')
            {
                dots++;
            }

            var baseFolder = folder;
            for (var i = 1; i < dots; i++)
            {
                baseFolder = Folder(baseFolder);
            }

            var rest = m[dots..].Replace('.', '/');
            return (rest.Length == 0 ? baseFolder : Combine(baseFolder, rest), true);
        }

        var pathLike = m.Contains('/', StringComparison.Ordinal) || m.Contains('\\', StringComparison.Ordinal);
        m = m.Replace("::", "/", StringComparison.Ordinal).Replace('\\', '/');
        m = pathLike ? StripExtension(m) : m.Replace('.', '/');
        return (m.Trim('/'), false);
    }

    /// <summary>Whether the file at <paramref name="candidatePath"/> (with a symbol named <paramref name="qualifiedName"/>) is what the import names.</summary>
    public static bool Matches(
        string module, string fromRepository, string fromPath, string candidateRepository, string candidatePath, string? qualifiedName) =>
        Matches(Prepare(module, fromPath), fromRepository, candidateRepository, StripExtension(candidatePath), Folder(candidatePath), qualifiedName);

    /// <summary>An import as written in the file at <paramref name="fromPath"/>, normalised once for many <see cref="Matches(ImportTarget, string, string, string, string, string?)"/> calls.</summary>
    public static ImportTarget Prepare(string module, string fromPath)
    {
        var (normalized, relative) = Normalize(module, fromPath);
        return relative
            ? new ImportTarget(normalized, true, string.Empty, Combine(normalized, "index"), Combine(normalized, "__init__"))
            : new ImportTarget(normalized, false, module.Trim() + ".", string.Empty, string.Empty);
    }

    /// <summary>
    /// <see cref="Matches(string, string, string, string, string, string?)"/> with the import prepared and the candidate's path
    /// already split into its extension-less form (<see cref="StripExtension"/>) and folder (<see cref="Folder"/>).
    /// </summary>
    public static bool Matches(
        ImportTarget import, string fromRepository, string candidateRepository, string candidateNoExt, string candidateFolder, string? qualifiedName)
    {
        var normalized = import.Normalized;
        if (normalized.Length == 0 && !import.Relative)
        {
            return false;
        }

        if (import.Relative)
        {
            return candidateRepository == fromRepository
                && (candidateNoExt == normalized
                    || candidateNoExt == import.RelativeIndex
                    || candidateNoExt == import.RelativeInit
                    || candidateFolder == normalized);
        }

        if (EndsWithSegments(candidateNoExt, normalized))
        {
            return true;
        }

        if (qualifiedName is not null && qualifiedName.StartsWith(import.QualifiedPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        return candidateFolder.Length > 0 && (EndsWithSegments(candidateFolder, normalized) || EndsWithSegments(normalized, candidateFolder));
    }

    /// <summary>The last segment of a module (<c>numpy</c>, <c>y</c> of <c>github.com/x/y</c>, <c>path</c> of <c>os.path</c>).</summary>
    public static string LastSegment(string module)
    {
        var (normalized, _) = Normalize(module, string.Empty);
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? normalized : normalized[(slash + 1)..];
    }

    /// <summary>The last segment of a qualifier as written: <c>jwt</c>, <c>path</c> of <c>os.path</c>, <c>validator</c> of <c>this.validator</c>.</summary>
    public static string QualifierLastSegment(string qualifier)
    {
        var q = qualifier.Trim();
        var cut = q.LastIndexOfAny(['.', ':', '/', '>', '\\']);
        var segment = cut < 0 ? q : q[(cut + 1)..];
        var paren = segment.IndexOfAny(['(', '[', '<']);
        return paren >= 0 ? segment[..paren] : segment;
    }

    /// <summary>The folder part of a repository-relative path (empty at the root).</summary>
    public static string Folder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    /// <summary>The path without its file extension (a leading-dot name keeps its dot).</summary>
    public static string StripExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        if (dot <= slash + 1)
        {
            return path;
        }

        var extension = path.AsSpan(dot + 1);
        if (extension.Length is 0 or > 5)
        {
            return path;
        }

        foreach (var ch in extension)
        {
            if (!char.IsAsciiLetterOrDigit(ch))
            {
                return path;
            }
        }

        return path[..dot];
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="suffix"/> or ends with <c>/</c> + it.</summary>
    public static bool EndsWithSegments(string path, string suffix) =>
        suffix.Length > 0
        && (path == suffix || (path.Length > suffix.Length && path.EndsWith(suffix, StringComparison.Ordinal) && path[path.Length - suffix.Length - 1] == '/'));

    private static string Combine(string folder, string relative)
    {
        var segments = new List<string>(folder.Length == 0 ? [] : folder.Split('/'));
        foreach (var part in relative.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(part);
        }

        return string.Join('/', segments);
    }
}
