using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// A call whose work outlives its deadline ends with DEADLINE_EXCEEDED. The work is made longer than any deadline by a
/// catalog that, once armed, does not answer until its caller cancels, so the outcome does not depend on how fast the
/// machine is (a 1 ms deadline against the real work raced the server and sometimes lost). Each test first makes one
/// unstalled call, so the connection, the service and the JIT are warm and the deadline is spent on the call under test
/// (a cold first call on a two-core machine once used the whole deadline before reaching the service).
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class DeadlineTests : IAsyncLifetime
{
    private readonly StallingCatalog.Switch _stall = new();
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _server = await TestServer.StartAsync(services: s =>
            s.AddSingleton<IRepositoryCatalog>(sp => new StallingCatalog(sp.GetRequiredService<EmbeddedStore>(), _stall)));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetContext_WorkOutlivesTheDeadline_DeadlineExceededAndTheWorkIsCancelled()
    {
        await _server.Client.GetContextAsync(new V1.GetContextRequest { Query = "how are invoices totalled" }, cancellationToken: Ct);
        _stall.Armed = true;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.GetContextAsync(new V1.GetContextRequest { Query = "how are invoices totalled" }, deadline: Deadline(), cancellationToken: Ct));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await AssertTheWorkWasCancelledAsync();
    }

    [Fact]
    public async Task Search_WorkOutlivesTheDeadline_DeadlineExceeded()
    {
        await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, cancellationToken: Ct);
        _stall.Armed = true;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, deadline: Deadline(), cancellationToken: Ct));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await AssertTheWorkWasCancelledAsync();
    }

    private static DateTime Deadline() => TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(1);

    /// <summary>The stalled work saw its token cancelled: the server stopped it rather than leaving it running.</summary>
    private async Task AssertTheWorkWasCancelledAsync()
    {
        Assert.True(_stall.Entered.Task.IsCompleted, "the call never reached the catalog before its deadline, so nothing shows the work being stopped");
        await _stall.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    /// <summary>Delegates to the real catalog; while armed, listing repositories waits for its token to be cancelled.</summary>
    private sealed class StallingCatalog(IRepositoryCatalog inner, StallingCatalog.Switch stall) : DelegatingCatalog(inner)
    {
        public override async Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default)
        {
            if (stall.Armed)
            {
                stall.Entered.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    stall.Cancelled.TrySetResult();
                    throw;
                }
            }

            return await base.ListRepositoriesAsync(cancellationToken);
        }


        public sealed class Switch
        {
            public volatile bool Armed;

            public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
