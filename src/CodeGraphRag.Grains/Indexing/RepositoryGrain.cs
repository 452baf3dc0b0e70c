using System.Diagnostics;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Parsing.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Indexing;

/// <summary>
/// One repository. A sync walks the tree (or a git commit), diffs it against the stored manifest, sends changed
/// files to <see cref="IFileGrain"/>s with bounded concurrency, records skips, and removes deleted files. Each file's
/// manifest entry is written with its data, so the manifest never runs ahead of what is durable; the repository's
/// "last completed" mark is written only at the end.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Grains do not implement IDisposable; the token source is disposed in OnDeactivateAsync.")]
public sealed partial class RepositoryGrain(
    IRepositoryCatalog catalog,
    IIndexWriter writer,
    PipelineVersion pipeline,
    EmbeddingModelCache models,
    IOptions<IndexingOptions> options,
    TimeProvider time,
    ILogger<RepositoryGrain> logger) : Grain, IRepositoryGrain
{
    private SyncProgress _progress = new() { Phase = SyncPhase.Idle };
    private Task? _running;
    private CancellationTokenSource? _cancel;

    private string Name => this.GetPrimaryKeyString();

    Task<SyncProgress> IRepositoryGrain.StartSyncAsync(SyncRequest request)
    {
        if (_running is { IsCompleted: false })
        {
            return Task.FromResult(_progress);
        }

        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        _progress = new SyncProgress { Phase = SyncPhase.Scanning };
        // CGR: the sync runs as work items on this activation's scheduler, so progress reads interleave between its
        // awaits and every field update stays single-threaded.
        _running = RunAsync(request, _cancel.Token);
        return Task.FromResult(_progress);
    }

    Task<SyncProgress> IRepositoryGrain.GetProgressAsync() => Task.FromResult(_progress);

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_running is { IsCompleted: false } running)
        {
            await _cancel!.CancelAsync();
            await running;
        }

        _cancel?.Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    Task IRepositoryGrain.CancelAsync()
    {
        _cancel?.Cancel();
        return Task.CompletedTask;
    }

    async Task IRepositoryGrain.RemoveAsync()
    {
        if (_running is { IsCompleted: false } running)
        {
            _cancel?.Cancel();
            await running;
        }

        await writer.RemoveRepositoryAsync(Name);
        _progress = new SyncProgress { Phase = SyncPhase.Idle };
    }

    private async Task RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await SyncAsync(request, clock, cancellationToken);
            _progress = _progress with { Phase = SyncPhase.Completed, Elapsed = clock.Elapsed };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _progress = _progress with { Phase = SyncPhase.Cancelled, Elapsed = clock.Elapsed };
        }
        catch (Exception ex)
        {
            LogSyncFailed(logger, Name, ex);
            _progress = _progress with { Phase = SyncPhase.Failed, Error = ex.Message, Elapsed = clock.Elapsed };
        }
    }

    private async Task SyncAsync(SyncRequest request, Stopwatch clock, CancellationToken cancellationToken)
    {
        var model = await models.GetAsync();
        var previous = await catalog.GetRepositoryAsync(Name, cancellationToken);
        var started = time.GetUtcNow();
        await catalog.UpsertRepositoryAsync(new RepositoryInfo(Name, request.Source, previous?.Revision, started,
            previous?.LastSyncCompleted, previous?.ReadGroups ?? []), cancellationToken);

        await using var snapshot = await OpenSnapshotAsync(request, cancellationToken);
        var manifest = await catalog.GetManifestAsync(Name, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new List<(SourceEntry Entry, string Version)>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var unchanged = 0;

        await foreach (var entry in snapshot.EnumerateAsync(cancellationToken))
        {
            seen.Add(entry.Path);
            var version = pipeline.For(entry.Path, model.Id);
            manifest.TryGetValue(entry.Path, out var stored);
            if (entry.SkipReason is { } reason)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                var hash = entry.ContentHash ?? string.Empty;
                if (stored is null || stored.Status != FileStatus.Skipped || stored.Reason != reason || stored.ContentHash != hash)
                {
                    var record = new FileRecord(Name, entry.Path, null, hash, entry.Size, version, FileStatus.Skipped, reason, 0);
                    await writer.ApplyFileAsync(FileUpdate.RecordOnly(record), cancellationToken);
                }

                continue;
            }

            if (stored is { Status: FileStatus.Indexed } && stored.ContentHash == entry.ContentHash && stored.PipelineVersion == version)
            {
                unchanged++;
                continue;
            }

            work.Add((entry, version));
        }

        var deleted = manifest.Keys.Where(p => !seen.Contains(p)).ToList();
        _progress = _progress with
        {
            Phase = SyncPhase.Processing,
            FilesTotal = seen.Count - skipped.Values.Sum(),
            FilesToProcess = work.Count,
            FilesUnchanged = unchanged,
            SkippedByReason = skipped,
            Elapsed = clock.Elapsed,
        };

        await ProcessAsync(snapshot, work, clock, cancellationToken);

        _progress = _progress with { Phase = SyncPhase.Removing, Elapsed = clock.Elapsed };
        if (deleted.Count > 0)
        {
            await writer.RemoveFilesAsync(Name, deleted, cancellationToken);
        }

        _progress = _progress with { FilesDeleted = deleted.Count };
        var revision = snapshot is GitRevisionSnapshot git ? git.CommitId : null;
        // CGR: re-read the ACL; a registration may have changed the read groups while this sync ran.
        var current = await catalog.GetRepositoryAsync(Name, cancellationToken);
        await catalog.UpsertRepositoryAsync(new RepositoryInfo(Name, request.Source, revision, started,
            time.GetUtcNow(), current?.ReadGroups ?? previous?.ReadGroups ?? []), cancellationToken);
    }

    private async Task ProcessAsync(ISourceSnapshot snapshot, List<(SourceEntry Entry, string Version)> work, Stopwatch clock, CancellationToken cancellationToken)
    {
        var parallel = Math.Max(1, options.Value.MaxParallelFiles);
        var inFlight = new List<Task>(parallel);
        Task? failed = null;
        foreach (var (entry, version) in work)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (inFlight.Count >= parallel)
            {
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                if (!done.IsCompletedSuccessfully)
                {
                    failed = done;
                    break;
                }
            }

            inFlight.Add(ProcessOneAsync(snapshot, entry, version, clock, cancellationToken));
        }

        // Never leave file work running behind a finished sync: wait for everything started, then report the
        // first failure (or the cancellation).
        if (failed is not null)
        {
            inFlight.Add(failed);
        }

        await Task.WhenAll(inFlight);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task ProcessOneAsync(ISourceSnapshot snapshot, SourceEntry entry, string version, Stopwatch clock, CancellationToken cancellationToken)
    {
        FileOutcome outcome;
        try
        {
            var bytes = await snapshot.ReadAsync(entry, cancellationToken);
            var grain = GrainFactory.GetGrain<IFileGrain>(GrainKeys.File(Name, entry.Path));
            outcome = await grain.ProcessAsync(new FileWorkItem(entry.ContentHash!, bytes, version), cancellationToken);
        }
        catch (SourceReadException ex)
        {
            var record = new FileRecord(Name, entry.Path, null, entry.ContentHash!, entry.Size, version, FileStatus.Failed, ex.Message, 0);
            await writer.ApplyFileAsync(FileUpdate.RecordOnly(record), cancellationToken);
            outcome = new FileOutcome(FileStatus.Failed, ex.Message, false, 0, 0, 0, 0);
        }

        _progress = _progress with
        {
            FilesProcessed = _progress.FilesProcessed + 1,
            FilesIndexed = _progress.FilesIndexed + (outcome.Status == FileStatus.Indexed && !outcome.Unchanged ? 1 : 0),
            FilesUnchanged = _progress.FilesUnchanged + (outcome.Unchanged ? 1 : 0),
            FilesFailed = _progress.FilesFailed + (outcome.Status == FileStatus.Failed ? 1 : 0),
            ChunksWritten = _progress.ChunksWritten + outcome.ChunksWritten,
            ChunksEmbedded = _progress.ChunksEmbedded + outcome.ChunksEmbedded,
            SecretsRedacted = _progress.SecretsRedacted + outcome.SecretsRedacted,
            BytesProcessed = _progress.BytesProcessed + entry.Size,
            Elapsed = clock.Elapsed,
        };
    }

    private async Task<ISourceSnapshot> OpenSnapshotAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var snapshotOptions = new SourceSnapshotOptions { MaxFileSize = options.Value.MaxFileBytes };
        return request.Revision is { Length: > 0 } revision
            ? await GitRevisionSnapshot.OpenAsync(request.Source, revision, snapshotOptions, cancellationToken)
            : new WorkingTreeSnapshot(request.Source, snapshotOptions);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of {Repository} failed")]
    private static partial void LogSyncFailed(ILogger logger, string repository, Exception exception);
}
