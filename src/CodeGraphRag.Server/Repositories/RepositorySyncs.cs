using System.Runtime.CompilerServices;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Server.Repositories;

/// <summary>Starts a repository's sync (or joins the running one) and follows its progress; shared by the Sync RPC and webhooks.</summary>
internal sealed class RepositorySyncs(IGrainFactory grains, RepositorySources sources, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

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
        return new SyncRequest(repository.Source, branch);
    }

    /// <summary>Starts (or joins) the sync and yields its progress whenever it changes, ending with the finished state.</summary>
    public async IAsyncEnumerable<SyncProgress> FollowAsync(string repository, SyncRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository));
        var progress = await grain.StartSyncAsync(request);
        yield return progress;
        while (!progress.IsFinished)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            var next = await grain.GetProgressAsync();
            if (next.Phase == SyncPhase.Idle)
            {
                // CGR: the grain was deactivated (silo shutdown or removal) and forgot the sync; nothing is running.
                yield return next with { Phase = SyncPhase.Cancelled, Error = "the sync was interrupted; run it again" };
                yield break;
            }

            if (next != progress)
            {
                progress = next;
                yield return progress;
            }
        }
    }
}
