using System.Diagnostics;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Telemetry;
using CodeGraphRag.Parsing.Classification;
using CodeGraphRag.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Indexing;

/// <summary>
/// One repository. A sync walks the tree (or a git commit), diffs it against the stored manifest, sends changed
/// files to <see cref="IFileGrain"/>s with bounded concurrency, records skips, and removes deleted files; then (the
/// <see cref="SyncPhase.Embedding"/> phase) it embeds every chunk of the repository that was written before its vector,
/// in repository-wide batches, including ones a stopped earlier sync left. Each file's manifest entry is written with its
/// data, so the manifest never runs ahead of what is durable; the repository's "last completed" mark is written only at
/// the end.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Grains do not implement IDisposable; the token source is disposed in OnDeactivateAsync.")]
public sealed partial class RepositoryGrain(
    IRepositoryCatalog catalog,
    IIndexWriter writer,
    PipelineVersion pipeline,
    EmbeddingModelCache models,
    IEmbeddingCache cache,
    IOptions<IndexingOptions> options,
    IOptions<EmbeddingCallOptions> embeddingCalls,
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
            await RunCoreAsync(request, clock, cancellationToken);
        }
        finally
        {
            PipelineMetrics.SyncFinished(_progress.Phase.ToString().ToLowerInvariant(), clock.Elapsed);
        }
    }

    private async Task RunCoreAsync(SyncRequest request, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(request, clock, cancellationToken);
            _progress = _progress with { Phase = SyncPhase.Completed, Elapsed = clock.Elapsed };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _progress = _progress with { Phase = SyncPhase.Cancelled, Elapsed = clock.Elapsed };
        }
        catch (EmbedderUnavailableException ex)
        {
            LogSyncFailed(logger, Name, ex);
            _progress = _progress with
            {
                Phase = SyncPhase.Failed,
                Error = ex.Message,
                ErrorCode = SyncErrorCodes.EmbedderUnavailable,
                Elapsed = clock.Elapsed,
            };
        }
        catch (Exception ex)
        {
            LogSyncFailed(logger, Name, ex);
            _progress = _progress with
            {
                Phase = SyncPhase.Failed,
                Error = ex.Message,
                ErrorCode = ex is EmbeddingModelMismatchException ? SyncErrorCodes.EmbeddingModelMismatch : null,
                Elapsed = clock.Elapsed,
            };
        }
    }

    /// <summary>
    /// Runs a call that needs the cluster's embedders (directly or through a file grain). When the silo serving it is
    /// gone, the call is retried: while no embedder answers, the sync reports <see cref="SyncPhase.WaitingForEmbedder"/>
    /// and probes until one does or <see cref="IndexingOptions.EmbedderWaitTimeout"/> passes; when embedders answer
    /// (an indexer silo died instead), the call is retried with backoff for up to
    /// <see cref="IndexingOptions.SiloFailureRetryWindow"/>, the time membership needs to declare the silo dead.
    /// </summary>
    private async Task<T> WithClusterRetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        long? firstFailure = null;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ClusterFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (!await EmbedderAnswersAsync())
                {
                    await WaitForEmbedderAsync(settings, cancellationToken);
                    firstFailure = null;
                    continue;
                }

                firstFailure ??= time.GetTimestamp();
                if (time.GetElapsedTime(firstFailure.Value) >= settings.SiloFailureRetryWindow)
                {
                    throw;
                }

                LogRetrying(logger, Name, backoff, ex.Message);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task WaitForEmbedderAsync(IndexingOptions settings, CancellationToken cancellationToken)
    {
        var resume = _progress.Phase;
        _progress = _progress with { Phase = SyncPhase.WaitingForEmbedder };
        var started = time.GetTimestamp();
        while (!await EmbedderAnswersAsync())
        {
            if (time.GetElapsedTime(started) >= settings.EmbedderWaitTimeout)
            {
                throw new EmbedderUnavailableException(
                    $"No embedder silo answered for {settings.EmbedderWaitTimeout.TotalSeconds:0} s (CodeGraphRag:Indexing:EmbedderWaitTimeout); " +
                    "start a silo with the embedder role and sync again: files already written are kept.");
            }

            await Task.Delay(settings.EmbedderProbeInterval, time, cancellationToken);
        }

        _progress = _progress with { Phase = resume == SyncPhase.WaitingForEmbedder ? SyncPhase.Processing : resume };
    }

    private async Task<bool> EmbedderAnswersAsync()
    {
        try
        {
            // A real call each time (the model cache would answer from memory after the embedders died).
            await GrainFactory.GetGrain<IEmbeddingGrain>(0).GetModelAsync();
            return true;
        }
        catch (Exception ex) when (ClusterFaults.IsUnavailable(ex))
        {
            return false;
        }
    }

    private async Task SyncAsync(SyncRequest request, Stopwatch clock, CancellationToken cancellationToken)
    {
        var model = await WithClusterRetryAsync(models.GetAsync, cancellationToken);
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
                    var record = new FileRecord(Name, entry.Path, null, hash, entry.Size, version, FileStatus.Skipped, reason, 0, FileClassifier.Classify(entry.Path, null));
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

        _progress = _progress with { FilesDeleted = deleted.Count, SearchableAfter = clock.Elapsed, Elapsed = clock.Elapsed };
        if (writer.SupportsPendingVectors)
        {
            await EmbedAwaitingVectorsAsync(model.Id, clock, cancellationToken);
        }

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

            inFlight.Add(ProcessTrackedAsync(snapshot, entry, version, clock, cancellationToken));
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

    private async Task ProcessTrackedAsync(ISourceSnapshot snapshot, SourceEntry entry, string version, Stopwatch clock, CancellationToken cancellationToken)
    {
        PipelineMetrics.FilesInFlightChanged(1);
        try
        {
            await ProcessOneAsync(snapshot, entry, version, clock, cancellationToken);
        }
        finally
        {
            PipelineMetrics.FilesInFlightChanged(-1);
        }
    }

    private async Task ProcessOneAsync(ISourceSnapshot snapshot, SourceEntry entry, string version, Stopwatch clock, CancellationToken cancellationToken)
    {
        FileOutcome outcome;
        try
        {
            var bytes = await snapshot.ReadAsync(entry, cancellationToken);
            var grain = GrainFactory.GetGrain<IFileGrain>(GrainKeys.File(Name, entry.Path));
            var item = new FileWorkItem(entry.ContentHash!, bytes, version);
            outcome = await WithClusterRetryAsync(() => grain.ProcessAsync(item, cancellationToken), cancellationToken);
        }
        catch (SourceReadException ex)
        {
            var record = new FileRecord(Name, entry.Path, null, entry.ContentHash!, entry.Size, version, FileStatus.Failed, ex.Message, 0, FileClassifier.Classify(entry.Path, null));
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

    /// <summary>
    /// The embedding phase: reads the repository's chunks that await vectors a batch at a time, embeds their texts (cache
    /// first) and stores the vectors, until none is left. A chunk changed meanwhile keeps waiting with its new text and is
    /// met again; a batch of which nothing could be stored twice in a row stops the sync instead of looping.
    /// </summary>
    private async Task EmbedAwaitingVectorsAsync(string modelId, Stopwatch clock, CancellationToken cancellationToken)
    {
        var remaining = await writer.CountChunksAwaitingVectorsAsync(Name, cancellationToken);
        if (remaining == 0)
        {
            return;
        }

        var settings = options.Value;
        var embedding = new DocumentEmbedding(GrainFactory, cache, embeddingCalls.Value, time);
        _progress = _progress with { Phase = SyncPhase.Embedding, ChunksAwaitingVectors = remaining, Elapsed = clock.Elapsed };
        HashSet<string>? unstored = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await writer.GetChunksAwaitingVectorsAsync(Name, Math.Max(1, settings.VectorBacklogBatch), cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var chunk in batch)
            {
                texts[chunk.EmbeddingKey] = ChunkRecordBuilder.EmbeddingText(chunk.Path, chunk.SymbolPath, chunk.Signature, chunk.Text);
            }

            var (vectors, embedded) = await WithClusterRetryAsync(
                () => embedding.EmbedAsync(modelId, texts, settings.EmbedRequestSize, settings.EmbedRequestsInFlight, cancellationToken), cancellationToken);
            var stored = await writer.SetVectorsAsync(Name, [.. batch.Select(c => new ChunkVector(c.Id, c.EmbeddingKey, vectors[c.EmbeddingKey]))], cancellationToken);
            var ids = batch.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            if (stored == 0 && unstored is not null && unstored.SetEquals(ids))
            {
                throw new InvalidOperationException($"The vectors of {batch.Count} chunk(s) of {Name} could not be stored twice in a row (first {batch[0].Path}:{batch[0].StartLine}).");
            }

            unstored = stored == 0 ? ids : null;
            remaining = Math.Max(0, remaining - stored);
            _progress = _progress with
            {
                ChunksEmbedded = _progress.ChunksEmbedded + embedded,
                ChunksAwaitingVectors = remaining,
                Elapsed = clock.Elapsed,
            };
        }

        _progress = _progress with { ChunksAwaitingVectors = 0, Elapsed = clock.Elapsed };
    }

    private async Task<ISourceSnapshot> OpenSnapshotAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var snapshotOptions = new SourceSnapshotOptions { MaxFileSize = options.Value.MaxFileBytes };
        if (GitMirror.IsRemote(request.Source))
        {
            var mirror = await GitMirror.UpdateAsync(request.Source, options.Value.GitCacheDirectory, cancellationToken);
            return await GitRevisionSnapshot.OpenAsync(mirror, GitMirror.Revision(request.Revision, request.Branch), snapshotOptions, cancellationToken);
        }

        return request.Revision is { Length: > 0 } revision
            ? await GitRevisionSnapshot.OpenAsync(request.Source, revision, snapshotOptions, cancellationToken)
            : new WorkingTreeSnapshot(request.Source, snapshotOptions);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Repository}: a silo is unreachable ({Reason}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string repository, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of {Repository} failed")]
    private static partial void LogSyncFailed(ILogger logger, string repository, Exception exception);
}
