namespace CodeGraphRag.Api.Webhooks;

/// <summary>Runs one sync of a repository to completion (the seam the coalescing scheduler drives).</summary>
internal interface IWebhookSyncRunner
{
    Task RunAsync(string repository, CancellationToken cancellationToken);
}
