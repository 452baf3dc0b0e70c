using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Repositories;

namespace CodeGraphRag.Api.Webhooks;

/// <summary>
/// Waits for a sync that is already running (it may have read the tree before the push), then starts a fresh one and
/// follows it to the end.
/// </summary>
internal sealed class GrainWebhookSyncRunner(IGrainFactory grains, IRepositoryCatalog catalog, RepositorySyncs syncs, TimeProvider time) : IWebhookSyncRunner
{
    public async Task RunAsync(string repository, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository));
        var progress = await grain.GetProgressAsync();
        while (progress is { IsFinished: false, Phase: not SyncPhase.Idle })
        {
            await Task.Delay(RepositorySyncs.PollInterval, time, cancellationToken);
            progress = await grain.GetProgressAsync();
        }

        var info = await catalog.GetRepositoryAsync(repository, cancellationToken);
        if (info is null)
        {
            return;
        }

        var request = await syncs.RequestForAsync(info, null, cancellationToken);
        await foreach (var _ in syncs.FollowAsync(repository, request, cancellationToken))
        {
        }
    }
}
