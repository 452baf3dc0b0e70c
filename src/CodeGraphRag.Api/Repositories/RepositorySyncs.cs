using System.Runtime.CompilerServices;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Sources;

namespace CodeGraphRag.Api.Repositories;

/// <summary>Starts a repository's sync (or joins the running one) and follows its progress; shared by the Sync RPC and webhooks.</summary>
internal sealed partial class RepositorySyncs(IGrainFactory grains, RepositorySources sources, IRepositoryCatalog catalog, TimeProvider time, ILogger<RepositorySyncs> logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a follower keeps re-attaching while the silo that ran the sync is unreachable or was declared dead.</summary>
    public static readonly TimeSpan SiloLossWindow = TimeSpan.FromMinutes(3);

    /// <summary>True when the source is a git URL rather than a local path.</summary>
    public static bool IsGitSource(string source) => !Path.IsPathFullyQualified(source) && GitUrls.IsValid(source);

    /// <summary>
    /// What the repository grain gets: the registered source and, for git sources, the requested revision or else the
    /// registered branch (the grain clones or fetches git sources; an empty revision means the remote's default branch).
    /// </summary>
    public async Task<SyncRequest> RequestForAsync(RepositoryInfo repository, string? revision, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(revision))
        {
            return new SyncRequest(repository.Source, revision);
        }

        var branch = IsGitSource(repository.Source) ? await sources.GetBranchAsync(repository.Name, cancellationToken) : null;
        return new SyncRequest(repository.Source, null, string.IsNullOrEmpty(branch) ? null : branch);
    }

    /// <summary>
    /// Starts (or joins) the sync and yields its progress whenever it changes, ending with the finished state. When the silo
    /// running the repository grain dies, the grain is re-activated on a live silo and the sync is started again there: it
    /// resumes from the manifest (files already written are unchanged), so the caller sees one sync that completes.
    /// </summary>
    public async IAsyncEnumerable<SyncProgress> FollowAsync(string repository, SyncRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository));
        var progress = await StartAsync(grain, cancellationToken);
        yield return progress;
        while (!progress.IsFinished)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            var next = await PollAsync(grain, cancellationToken);
            if (next.Phase == SyncPhase.Idle)
            {
                // The activation that ran the sync is gone (its silo died or shut down). Unless the repository was removed
                // meanwhile, start it again on the new activation; it picks up where the manifest says.
                if (await catalog.GetRepositoryAsync(repository, cancellationToken) is null)
                {
                    yield return next with { Phase = SyncPhase.Cancelled, Error = "the repository was removed during the sync" };
                    yield break;
                }

                LogResumed(logger, repository);
                next = await StartAsync(grain, cancellationToken);
            }

            if (next != progress)
            {
                progress = next;
                yield return progress;
            }
        }

        async Task<SyncProgress> StartAsync(IRepositoryGrain target, CancellationToken ct) =>
            await RetryWhileSiloLostAsync(() => target.StartSyncAsync(request), ct);

        async Task<SyncProgress> PollAsync(IRepositoryGrain target, CancellationToken ct) =>
            await RetryWhileSiloLostAsync(target.GetProgressAsync, ct);
    }

    private async Task<SyncProgress> RetryWhileSiloLostAsync(Func<Task<SyncProgress>> call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ClusterFaults.IsUnavailable(ex) && time.GetElapsedTime(started) < SiloLossWindow)
            {
                // Membership has not declared the silo dead yet; calls to it fail until then.
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync of {Repository} lost its silo; resuming it on another")]
    private static partial void LogResumed(ILogger logger, string repository);
}
