using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// The definitions one name can resolve to, in their resolution order, indexed so that choosing among them for a call
/// site costs lookups instead of a scan: by file, by repository, and by every key <see cref="ModulePaths.Matches(ImportTarget, string, string, string, string, string?)"/>
/// tests (path and folder segment suffixes, exact paths, qualified-name prefixes).
/// </summary>
/// <remarks>
/// CGR: a common name (<c>__init__</c>, <c>get</c>) has thousands of definitions and a caller scan resolves it from hundreds
/// of files; matching every candidate against every import of every file dominated the graph stage. The index returns
/// exactly the candidates the per-candidate test accepts.
/// </remarks>
internal sealed class CandidateSet
{
    private readonly Dictionary<(string Repository, string Path), List<int>> _byFile = [];
    private readonly Dictionary<string, List<int>> _byRepository = new(StringComparer.Ordinal);
    private ImportIndex? _importIndex;
    private Dictionary<string, List<int>>? _byParentSimpleName;

    public CandidateSet(List<SymbolRow> rows)
    {
        Rows = rows;
        All = [.. Enumerable.Range(0, rows.Count)];
        for (var i = 0; i < rows.Count; i++)
        {
            Add(_byFile, (rows[i].Repository, rows[i].Path), i);
            Add(_byRepository, rows[i].Repository, i);
        }
    }

    /// <summary>The candidates in resolution order.</summary>
    public List<SymbolRow> Rows { get; }

    /// <summary>Every index, ascending.</summary>
    public List<int> All { get; }

    /// <summary>Indexes of the candidates defined in one file, ascending (empty when none).</summary>
    public List<int> InFile(string repository, string path) => _byFile.GetValueOrDefault((repository, path)) ?? [];

    /// <summary>Indexes of the candidates defined in one repository, ascending (empty when none).</summary>
    public List<int> InRepository(string repository) => _byRepository.GetValueOrDefault(repository) ?? [];

    /// <summary>
    /// The members of <paramref name="chosen"/> (ascending indexes) whose parent's simple name equals <paramref name="segment"/>
    /// ignoring case, or that are in <paramref name="alsoAccepted"/>; ascending.
    /// </summary>
    public List<int> Narrow(List<int> chosen, string segment, IReadOnlyCollection<int> alsoAccepted)
    {
        _byParentSimpleName ??= BuildParentIndex();
        var accepted = new HashSet<int>(alsoAccepted);
        accepted.UnionWith(_byParentSimpleName.GetValueOrDefault(segment) ?? []);
        var result = new List<int>(Math.Min(accepted.Count, chosen.Count));
        if (accepted.Count < chosen.Count)
        {
            foreach (var i in accepted)
            {
                if (chosen.BinarySearch(i) >= 0)
                {
                    result.Add(i);
                }
            }

            result.Sort();
            return result;
        }

        foreach (var i in chosen)
        {
            if (accepted.Contains(i))
            {
                result.Add(i);
            }
        }

        return result;
    }

    /// <summary>Indexes (ascending, distinct) of the candidates any of <paramref name="imports"/>, written in <paramref name="fromRepository"/>, names.</summary>
    public List<int> MatchingImports(IReadOnlyList<ImportRow> imports, string fromRepository)
    {
        var found = new HashSet<int>();
        foreach (var import in imports)
        {
            AddMatches(import.Target, fromRepository, found);
        }

        var result = found.ToList();
        result.Sort();
        return result;
    }

    private void AddMatches(ImportTarget import, string fromRepository, HashSet<int> found)
    {
        var normalized = import.Normalized;
        if (normalized.Length == 0 && !import.Relative)
        {
            return;
        }

        var index = _importIndex ??= BuildImportIndex();
        if (import.Relative)
        {
            foreach (var list in new[]
            {
                index.NoExtensionExact.GetValueOrDefault(normalized), index.NoExtensionExact.GetValueOrDefault(import.RelativeIndex),
                index.NoExtensionExact.GetValueOrDefault(import.RelativeInit), index.FolderExact.GetValueOrDefault(normalized),
            })
            {
                foreach (var i in list ?? [])
                {
                    if (Rows[i].Repository == fromRepository)
                    {
                        found.Add(i);
                    }
                }
            }

            return;
        }

        found.UnionWith(index.NoExtensionSuffix.GetValueOrDefault(normalized) ?? []);
        found.UnionWith(index.QualifiedPrefix.GetValueOrDefault(import.QualifiedPrefix[..^1]) ?? []);
        foreach (var i in index.FolderSuffix.GetValueOrDefault(normalized) ?? [])
        {
            if (Folder(i).Length > 0)
            {
                found.Add(i);
            }
        }

        // The import path ends with the candidate's folder: look each of its segment suffixes up as a folder.
        foreach (var suffix in SegmentSuffixes(normalized))
        {
            foreach (var i in index.FolderExact.GetValueOrDefault(suffix) ?? [])
            {
                if (Folder(i).Length > 0)
                {
                    found.Add(i);
                }
            }
        }
    }

    private Dictionary<string, List<int>> BuildParentIndex()
    {
        var index = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Rows.Count; i++)
        {
            if (Rows[i].ParentSimpleName is { } parent)
            {
                Add(index, parent, i);
            }
        }

        return index;
    }

    private string Folder(int index) => ModulePaths.Folder(Rows[index].Path);

    private ImportIndex BuildImportIndex()
    {
        var noExtensionSuffix = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var noExtensionExact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var folderSuffix = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var folderExact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var qualifiedPrefix = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var parts = new Dictionary<string, (string NoExtension, string Folder)>(StringComparer.Ordinal);
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (!parts.TryGetValue(row.Path, out var p))
            {
                p = (ModulePaths.StripExtension(row.Path), ModulePaths.Folder(row.Path));
                parts[row.Path] = p;
            }

            Add(noExtensionExact, p.NoExtension, i);
            Add(folderExact, p.Folder, i);
            foreach (var suffix in SegmentSuffixes(p.NoExtension))
            {
                Add(noExtensionSuffix, suffix, i);
            }

            foreach (var suffix in SegmentSuffixes(p.Folder))
            {
                Add(folderSuffix, suffix, i);
            }

            var name = row.QualifiedName;
            for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
            {
                Add(qualifiedPrefix, name[..dot], i);
            }
        }

        return new ImportIndex(noExtensionSuffix, noExtensionExact, folderSuffix, folderExact, qualifiedPrefix);
    }

    /// <summary>The non-empty values <c>s</c> for which <see cref="ModulePaths.EndsWithSegments"/>(<paramref name="path"/>, s) holds.</summary>
    internal static IEnumerable<string> SegmentSuffixes(string path)
    {
        if (path.Length == 0)
        {
            yield break;
        }

        yield return path;
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (slash + 1 < path.Length)
            {
                yield return path[(slash + 1)..];
            }
        }
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        // Candidates arrive in ascending order; a path seen twice for one candidate is added once.
        if (list.Count == 0 || list[^1] != value)
        {
            list.Add(value);
        }
    }

    /// <summary>Candidate indexes by extension-less path suffix, exact extension-less path, folder suffix, exact folder and qualified-name prefix.</summary>
    private sealed record ImportIndex(
        Dictionary<string, List<int>> NoExtensionSuffix,
        Dictionary<string, List<int>> NoExtensionExact,
        Dictionary<string, List<int>> FolderSuffix,
        Dictionary<string, List<int>> FolderExact,
        Dictionary<string, List<int>> QualifiedPrefix);
}
