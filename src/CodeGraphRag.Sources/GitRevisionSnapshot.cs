using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodeGraphRag.Sources;

/// <summary>The files of one git commit (<c>--rev</c>), read through the git command line; the working tree is not touched.</summary>
/// <remarks>
/// <para>Lists with <c>git ls-tree -r -z --long</c>; the content hash is the blob id. Symlinks (mode 120000) are skipped as
/// <see cref="SkipReasons.Symlink"/>, gitlinks (160000) as <see cref="SkipReasons.Submodule"/>. .gitignore files do not apply
/// (everything listed is tracked); <see cref="SourceSnapshotOptions.ExtraIgnorePatterns"/>, vendored folders (recorded once per
/// folder), size, binary and generated rules do. When the path is a subfolder of the repository, only that subfolder is listed,
/// with paths relative to it.</para>
/// <para>Blob contents come from one <c>git cat-file --batch</c> process kept open for the snapshot's lifetime (dispose it).
/// Reads are serialised on that process; concurrent callers are safe.</para>
/// </remarks>
public sealed class GitRevisionSnapshot : ISourceSnapshot
{
    private readonly string _repository;
    private readonly string _prefix;
    private readonly SourceSnapshotOptions _options;
    private readonly GitBlobReader _blobs;

    private GitRevisionSnapshot(string repository, string prefix, string commitId, SourceSnapshotOptions options)
    {
        _repository = repository;
        _prefix = prefix;
        CommitId = commitId;
        _options = options;
        _blobs = new GitBlobReader(repository);
    }

    /// <summary>The full id of the commit the revision resolved to.</summary>
    public string CommitId { get; }

    /// <summary>Resolves <paramref name="revision"/> in the repository at <paramref name="repositoryPath"/> and opens its snapshot.</summary>
    /// <exception cref="SourceSnapshotException">The folder does not exist or is not in a git repository, the revision does not name a commit, or git is missing.</exception>
    public static async Task<GitRevisionSnapshot> OpenAsync(
        string repositoryPath, string revision, SourceSnapshotOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        var full = Path.GetFullPath(repositoryPath);
        if (!Directory.Exists(full))
        {
            throw new SourceSnapshotException($"Folder '{repositoryPath}' does not exist; give the path of a git repository.");
        }

        if (revision.StartsWith('-'))
        {
            throw new SourceSnapshotException($"Revision '{revision}' is not valid; give a commit id, branch or tag.");
        }

        var prefix = await GitProcess.RunAsync(full, ["rev-parse", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        if (prefix.ExitCode != 0)
        {
            throw new SourceSnapshotException(
                $"'{repositoryPath}' is not a git repository ({GitProcess.FirstLine(prefix.Error)}); --rev needs a git repository.");
        }

        var resolved = await GitProcess.RunAsync(full, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (resolved.ExitCode != 0)
        {
            throw new SourceSnapshotException($"Revision '{revision}' does not name a commit in '{repositoryPath}'; check it with 'git log'.");
        }

        var commit = Encoding.UTF8.GetString(resolved.Output).Trim();
        var prefixPath = Encoding.UTF8.GetString(prefix.Output).Trim();
        return new GitRevisionSnapshot(full, prefixPath, commit, options ?? new SourceSnapshotOptions());
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourceEntry> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tree = await GitProcess.RunAsync(_repository, ["ls-tree", "-r", "-z", "--long", "--full-tree", CommitId], cancellationToken).ConfigureAwait(false);
        if (tree.ExitCode != 0)
        {
            throw new SourceSnapshotException($"git ls-tree failed for {CommitId} in '{_repository}': {GitProcess.FirstLine(tree.Error)}");
        }

        var extra = _options.ExtraIgnorePatterns.Count > 0 ? IgnoreRules.Parse(string.Empty, _options.ExtraIgnorePatterns) : null;
        var listed = new List<(SourceEntry Entry, bool Inspect)>();
        var skippedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in ParseTree(tree.Output))
        {
            if (!record.Path.StartsWith(_prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = record.Path[_prefix.Length..];
            var folder = IgnoredFolder(path, extra);
            var folderReason = SkipReasons.Ignored;
            if (folder is null)
            {
                folder = PathRules.VendoredFolder(path, _options.VendoredDirectories);
                folderReason = SkipReasons.Vendored;
            }

            if (folder is not null)
            {
                if (skippedFolders.Add(folder))
                {
                    listed.Add((SourceEntry.Skipped(folder, 0, folderReason, isDirectory: true), false));
                }

                continue;
            }

            listed.Add(Classify(path, record, extra));
        }

        listed.Sort(static (a, b) => string.CompareOrdinal(a.Entry.Path, b.Entry.Path));
        foreach (var (entry, inspect) in listed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return inspect ? await InspectAsync(entry, cancellationToken).ConfigureAwait(false) : entry;
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]> ReadAsync(SourceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.IsCandidate || entry.ContentHash is null)
        {
            throw new ArgumentException($"'{entry.Path}' is skipped ({entry.SkipReason}), not a candidate.", nameof(entry));
        }

        try
        {
            return await _blobs.ReadAsync(entry.ContentHash, cancellationToken).ConfigureAwait(false)
                ?? throw new SourceReadException(entry.Path, SourceReadException.Vanished);
        }
        catch (IOException ex) when (ex is not SourceReadException)
        {
            throw new SourceReadException(entry.Path, SourceReadException.Unreadable, ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _blobs.DisposeAsync();

    private static IEnumerable<TreeRecord> ParseTree(byte[] output)
    {
        var start = 0;
        while (start < output.Length)
        {
            var end = Array.IndexOf(output, (byte)0, start);
            if (end < 0)
            {
                end = output.Length;
            }

            var line = Encoding.UTF8.GetString(output, start, end - start);
            start = end + 1;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                continue;
            }

            // "<mode> <type> <object> <padded size>\t<path>"
            var fields = line[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
            {
                continue;
            }

            _ = long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size);
            yield return new TreeRecord(fields[0], fields[2], size, line[(tab + 1)..]);
        }
    }

    private static string? IgnoredFolder(string path, IgnoreRules? extra)
    {
        if (extra is null)
        {
            return null;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            var folder = path[..slash];
            if (extra.Evaluate(folder, isDirectory: true) == true)
            {
                return folder;
            }

            slash = path.IndexOf('/', slash + 1);
        }

        return null;
    }

    private (SourceEntry Entry, bool Inspect) Classify(string path, TreeRecord record, IgnoreRules? extra)
    {
        var isSubmodule = record.Mode == "160000";
        if (extra?.Evaluate(path, isSubmodule) == true)
        {
            return (SourceEntry.Skipped(path, record.Size, SkipReasons.Ignored, isSubmodule), false);
        }

        string? reason = record.Mode switch
        {
            "160000" => SkipReasons.Submodule,
            "120000" => SkipReasons.Symlink,
            _ when record.Size > _options.MaxFileSize => SkipReasons.TooLarge,
            _ when PathRules.IsBinaryByName(path) => SkipReasons.Binary,
            _ when PathRules.IsGeneratedByName(path) => SkipReasons.Generated,
            _ => null,
        };
        return reason is null
            ? (SourceEntry.Candidate(path, record.Size, record.ObjectId), true)
            : (SourceEntry.Skipped(path, isSubmodule ? 0 : record.Size, reason, isSubmodule), false);
    }

    private async Task<SourceEntry> InspectAsync(SourceEntry entry, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await _blobs.ReadAsync(entry.ContentHash!, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            bytes = null;
        }

        if (bytes is null)
        {
            return SourceEntry.Skipped(entry.Path, entry.Size, SkipReasons.Unreadable);
        }

        using var inspector = new ContentInspector(computeHash: false);
        inspector.Append(bytes);
        var reason = inspector.Classify(entry.Path);
        return reason is null ? entry : SourceEntry.Skipped(entry.Path, entry.Size, reason);
    }

    private sealed record TreeRecord(string Mode, string ObjectId, long Size, string Path);
}
