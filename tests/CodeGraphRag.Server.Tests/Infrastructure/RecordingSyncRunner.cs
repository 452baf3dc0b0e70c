using System.Collections.Concurrent;
using CodeGraphRag.Api.Webhooks;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>Records which repositories webhook syncs ran for.</summary>
internal sealed class RecordingSyncRunner : IWebhookSyncRunner
{
    public ConcurrentQueue<string> Runs { get; } = new();

    public Task RunAsync(string repository, CancellationToken cancellationToken)
    {
        Runs.Enqueue(repository);
        return Task.CompletedTask;
    }
}
