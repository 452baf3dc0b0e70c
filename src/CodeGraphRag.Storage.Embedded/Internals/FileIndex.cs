using CodeGraphRag.Abstractions.Storage;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// Every stored file (all repositories, in <c>ORDER BY repository, path</c> order) indexed by the keys the Imports
/// relation matches on, for one commit sequence: the files an import names are found by lookups, not by testing every
/// path of the index against every import.
/// </summary>
/// <remarks>
/// CGR: at 100k chunks (7.4k files) each query loaded every readable path and ran SQL <c>LIKE</c> semantics plus
/// <see cref="ModulePaths.Matches(ImportTarget, string, string, string, string, string?)"/> over all of them per import:
/// 25–70 ms per expanded file. An import is accepted when its path is <c>LIKE</c> the normalised module (<c>'%m%'</c>,
/// or <c>'m%'</c> for a relative one) and <c>Matches</c> holds; <see cref="Candidates"/> returns a superset of those
/// files from the index and the caller keeps applying both tests, so the accepted files and their order are unchanged.
/// The index is shared by queries and rebuilt when the commit sequence moves (every write bumps it in its transaction).
/// </remarks>
internal sealed class FileIndex
{
    private readonly Dictionary<string, List<int>> _noExtensionSuffix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _noExtensionExact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _folderSuffix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _folderExact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _fileName = new(StringComparer.Ordinal);

    private FileIndex(long sequence, List<(string Repository, string Path)> files)
    {
        Sequence = sequence;
        Files = files;
        for (var i = 0; i < files.Count; i++)
        {
            var noExtension = ModulePaths.StripExtension(files[i].Path);
            var folder = ModulePaths.Folder(files[i].Path);
            Add(_noExtensionExact, noExtension, i);
            Add(_folderExact, folder, i);
            Add(_fileName, PathMentions.FileName(files[i].Path), i);
            foreach (var suffix in CandidateSet.SegmentSuffixes(noExtension))
            {
                Add(_noExtensionSuffix, suffix, i);
            }

            foreach (var suffix in CandidateSet.SegmentSuffixes(folder))
            {
                Add(_folderSuffix, suffix, i);
            }
        }
    }

    /// <summary>The commit sequence the index reflects.</summary>
    public long Sequence { get; }

    /// <summary>Every stored file, ordered by repository then path as SQLite orders them.</summary>
    public List<(string Repository, string Path)> Files { get; }

    /// <summary>Loads the index for the commit sequence visible to <paramref name="transaction"/>.</summary>
    public static FileIndex Load(SqliteConnection connection, SqliteTransaction transaction, long sequence)
    {
        using var command = EmbeddedStore.Command(connection, transaction, "SELECT repository, path FROM files ORDER BY repository, path");
        using var reader = command.ExecuteReader();
        var files = new List<(string, string)>();
        while (reader.Read())
        {
            files.Add((reader.GetString(0), reader.GetString(1)));
        }

        return Create(sequence, files);
    }

    /// <summary>An index over <paramref name="files"/> (ordered by repository then path) for <paramref name="sequence"/>.</summary>
    public static FileIndex Create(long sequence, List<(string Repository, string Path)> files) => new(sequence, files);

    /// <summary>The files (all repositories) whose last path segment is <paramref name="fileName"/>, in <see cref="Files"/> order.</summary>
    public IEnumerable<(string Repository, string Path)> WithFileName(string fileName) =>
        (_fileName.GetValueOrDefault(fileName) ?? []).Select(i => Files[i]);

    /// <summary>
    /// Ascending indexes into <see cref="Files"/> of every file <paramref name="import"/> can accept: a superset of the
    /// files for which <c>Matches</c> holds (relative imports: in any repository; the caller checks the repository).
    /// </summary>
    public List<int> Candidates(ImportTarget import)
    {
        var found = new HashSet<int>();
        var normalized = import.Normalized;
        if (import.Relative)
        {
            found.UnionWith(_noExtensionExact.GetValueOrDefault(normalized) ?? []);
            found.UnionWith(_noExtensionExact.GetValueOrDefault(import.RelativeIndex) ?? []);
            found.UnionWith(_noExtensionExact.GetValueOrDefault(import.RelativeInit) ?? []);
            found.UnionWith(_folderExact.GetValueOrDefault(normalized) ?? []);
        }
        else if (normalized.Length > 0)
        {
            found.UnionWith(_noExtensionSuffix.GetValueOrDefault(normalized) ?? []);
            found.UnionWith(_folderSuffix.GetValueOrDefault(normalized) ?? []);

            // Matches also accepts a file whose folder is a segment suffix of the module path.
            foreach (var suffix in CandidateSet.SegmentSuffixes(normalized))
            {
                if (suffix.Length > 0)
                {
                    found.UnionWith(_folderExact.GetValueOrDefault(suffix) ?? []);
                }
            }
        }

        var result = found.ToList();
        result.Sort();
        return result;
    }

    private static void Add(Dictionary<string, List<int>> index, string key, int value)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        if (list.Count == 0 || list[^1] != value)
        {
            list.Add(value);
        }
    }
}
