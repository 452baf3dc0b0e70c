using System.Runtime.CompilerServices;

namespace CodeGraphRag.Sources;

/// <summary>The files of a folder on disk, as they are now.</summary>
/// <remarks>
/// <para>Symlinks are never followed: a link whose target is inside the root is recorded as <see cref="SkipReasons.Symlink"/>
/// (its target is listed under its own path, as git stores links), a link out of the root as
/// <see cref="SkipReasons.SymlinkOutsideRoot"/>, a link to one of its own ancestors or an endless chain as
/// <see cref="SkipReasons.SymlinkLoop"/>, a dangling link as <see cref="SkipReasons.Unreadable"/>.</para>
/// <para>Vendored, ignored and nested-repository folders are recorded once, as one entry with
/// <see cref="SourceEntry.IsDirectory"/> set, and not entered. <c>.git</c> is not listed at all. A file that cannot be
/// opened while listing, or that is not a regular file (FIFO, socket, device), is skipped as <see cref="SkipReasons.Unreadable"/>;
/// one that fails later in <see cref="ReadAsync"/> throws <see cref="SourceReadException"/>.</para>
/// <para>Each file under the size limit is read once while listing, in 64 KiB blocks, to hash and classify it.
/// Thread-safe for concurrent reads; enumerate once at a time.</para>
/// </remarks>
public sealed class WorkingTreeSnapshot : ISourceSnapshot
{
    private const int BlockSize = 64 * 1024;
    private readonly SourceSnapshotOptions _options;
    private readonly string _root;
    private readonly string _realRoot;

    /// <summary>Opens a snapshot of the folder <paramref name="root"/>.</summary>
    /// <exception cref="SourceSnapshotException">The folder does not exist.</exception>
    public WorkingTreeSnapshot(string root, SourceSnapshotOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _options = options ?? new SourceSnapshotOptions();
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root))
        {
            throw new SourceSnapshotException($"Folder '{root}' does not exist; give the path of a repository's working tree.");
        }

        _realRoot = FileSystemProbe.RealPath(_root) ?? _root;
    }

    /// <summary>The absolute path of the root folder.</summary>
    public string Root => _root;

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourceEntry> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var listed = new List<Listed>();
        var frames = new List<IgnoreRules>();
        if (_options.UseGitIgnore)
        {
            var exclude = ReadIgnoreFile(Path.Combine(_root, ".git", "info", "exclude"), string.Empty);
            if (exclude is not null)
            {
                frames.Add(exclude);
            }
        }

        var extra = _options.ExtraIgnorePatterns.Count > 0 ? IgnoreRules.Parse(string.Empty, _options.ExtraIgnorePatterns) : null;
        Walk(_root, string.Empty, [_realRoot], frames, extra, listed, cancellationToken);
        listed.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));

        foreach (var item in listed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item.Entry ?? await InspectAsync(item.Path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]> ReadAsync(SourceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.IsCandidate)
        {
            throw new ArgumentException($"'{entry.Path}' is skipped ({entry.SkipReason}), not a candidate.", nameof(entry));
        }

        var full = FullPath(entry.Path);
        if (!File.Exists(full))
        {
            throw new SourceReadException(entry.Path, SourceReadException.Vanished);
        }

        if (!FileSystemProbe.IsRegularFile(full))
        {
            throw new SourceReadException(entry.Path, SourceReadException.Unreadable);
        }

        try
        {
            await using var stream = OpenRead(full);
            if (stream.Length > _options.MaxFileSize)
            {
                throw new SourceReadException(entry.Path, SourceReadException.TooLarge);
            }

            var buffer = new byte[stream.Length];
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    Array.Resize(ref buffer, total);
                    break;
                }

                total += n;
            }

            return buffer;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceReadException(entry.Path, SourceReadException.Vanished, ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException and not SourceReadException)
        {
            throw new SourceReadException(entry.Path, SourceReadException.Unreadable, ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static FileStream OpenRead(string full) =>
        new(full, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });

    private static IgnoreRules? ReadIgnoreFile(string path, string baseDirectory)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var rules = IgnoreRules.Parse(baseDirectory, File.ReadLines(path));
            return rules.IsEmpty ? null : rules;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string FullPath(string relative) => Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));

    private bool IsIgnored(string path, bool isDirectory, List<IgnoreRules> frames, IgnoreRules? extra)
    {
        if (extra?.Evaluate(path, isDirectory) is { } forced)
        {
            return forced;
        }

        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (frames[i].Evaluate(path, isDirectory) is { } decided)
            {
                return decided;
            }
        }

        return false;
    }

    private void Walk(
        string directory, string relative, List<string> ancestors, List<IgnoreRules> frames, IgnoreRules? extra, List<Listed> listed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pushed = false;
        if (_options.UseGitIgnore)
        {
            var local = ReadIgnoreFile(Path.Combine(directory, ".gitignore"), relative);
            if (local is not null)
            {
                frames.Add(local);
                pushed = true;
            }
        }

        IEnumerable<FileSystemInfo> children;
        try
        {
            children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                RecurseSubdirectories = false,
                IgnoreInaccessible = false,
                AttributesToSkip = 0,
                ReturnSpecialDirectories = false,
                MatchType = MatchType.Simple,
            }).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            listed.Add(new Listed(relative, SourceEntry.Skipped(relative, 0, SkipReasons.Unreadable, isDirectory: true)));
            if (pushed)
            {
                frames.RemoveAt(frames.Count - 1);
            }

            return;
        }

        foreach (var child in children)
        {
            var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            if (child.Name == ".git")
            {
                continue;
            }

            if (child.LinkTarget is not null)
            {
                var linkIsDirectory = child is DirectoryInfo;
                if (IsIgnored(path, linkIsDirectory, frames, extra))
                {
                    listed.Add(new Listed(path, SourceEntry.Skipped(path, 0, SkipReasons.Ignored, linkIsDirectory)));
                }
                else
                {
                    listed.Add(new Listed(path, SourceEntry.Skipped(path, 0, ClassifyLink(child, ancestors), linkIsDirectory)));
                }

                continue;
            }

            if (child is DirectoryInfo)
            {
                string? reason = null;
                if (IsIgnored(path, true, frames, extra))
                {
                    reason = SkipReasons.Ignored;
                }
                else if (_options.VendoredDirectories.Contains(child.Name))
                {
                    reason = SkipReasons.Vendored;
                }
                else if (Path.Exists(Path.Combine(child.FullName, ".git")))
                {
                    reason = SkipReasons.Submodule;
                }

                if (reason is not null)
                {
                    listed.Add(new Listed(path, SourceEntry.Skipped(path, 0, reason, isDirectory: true)));
                    continue;
                }

                ancestors.Add(FileSystemProbe.RealPath(child.FullName) ?? child.FullName);
                Walk(child.FullName, path, ancestors, frames, extra, listed, cancellationToken);
                ancestors.RemoveAt(ancestors.Count - 1);
                continue;
            }

            if (IsIgnored(path, false, frames, extra))
            {
                listed.Add(new Listed(path, SourceEntry.Skipped(path, 0, SkipReasons.Ignored)));
                continue;
            }

            long size;
            try
            {
                size = ((FileInfo)child).Length;
            }
            catch (IOException)
            {
                size = 0;
            }

            listed.Add(new Listed(path, ClassifyByName(path, size)));
        }

        if (pushed)
        {
            frames.RemoveAt(frames.Count - 1);
        }
    }

    private SourceEntry? ClassifyByName(string path, long size)
    {
        if (size > _options.MaxFileSize)
        {
            return SourceEntry.Skipped(path, size, SkipReasons.TooLarge);
        }

        if (PathRules.IsBinaryByName(path))
        {
            return SourceEntry.Skipped(path, size, SkipReasons.Binary);
        }

        if (PathRules.IsGeneratedByName(path))
        {
            return SourceEntry.Skipped(path, size, SkipReasons.Generated);
        }

        return null;
    }

    private string ClassifyLink(FileSystemInfo link, List<string> ancestors)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException)
        {
            // ELOOP: a chain of links that never reaches a file.
            return SkipReasons.SymlinkLoop;
        }

        if (target is null || !target.Exists)
        {
            return SkipReasons.Unreadable;
        }

        var real = FileSystemProbe.RealPath(target.FullName) ?? Path.GetFullPath(target.FullName);
        if (!IsUnder(real, _realRoot))
        {
            return SkipReasons.SymlinkOutsideRoot;
        }

        if (target is DirectoryInfo)
        {
            foreach (var ancestor in ancestors)
            {
                if (string.Equals(ancestor, real, StringComparison.Ordinal))
                {
                    return SkipReasons.SymlinkLoop;
                }
            }
        }

        return SkipReasons.Symlink;
    }

    private static bool IsUnder(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || (path.StartsWith(root, StringComparison.Ordinal)
            && (root.EndsWith(Path.DirectorySeparatorChar) || path[root.Length] == Path.DirectorySeparatorChar));

    private async Task<SourceEntry> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        if (!FileSystemProbe.IsRegularFile(full))
        {
            return SourceEntry.Skipped(path, 0, SkipReasons.Unreadable);
        }

        using var inspector = new ContentInspector(computeHash: true);
        try
        {
            await using var stream = OpenRead(full);
            var buffer = new byte[BlockSize];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                inspector.Append(buffer.AsSpan(0, n));
                if (inspector.Length > _options.MaxFileSize)
                {
                    return SourceEntry.Skipped(path, inspector.Length, SkipReasons.TooLarge);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SourceEntry.Skipped(path, inspector.Length, SkipReasons.Unreadable);
        }

        var reason = inspector.Classify(path);
        return reason is null
            ? SourceEntry.Candidate(path, inspector.Length, inspector.HashHex())
            : SourceEntry.Skipped(path, inspector.Length, reason);
    }

    /// <summary>A listed path; <see cref="Entry"/> is null when the content must still be read to classify and hash it.</summary>
    private sealed record Listed(string Path, SourceEntry? Entry);
}
