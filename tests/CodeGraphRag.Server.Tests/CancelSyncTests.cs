using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class CancelSyncTests : IAsyncLifetime
{
    /// <summary>
    /// Enough files that the file phase is still running when the cancel arrives: each file is embedded before it is
    /// written (<c>DeferEmbedding</c> off, the path a Milvus-backed cluster takes), which takes seconds on two cores. With
    /// embedding deferred the file phase of these files is over in well under a second and the cancel lands in the
    /// embedding phase instead; that stop is tested with a held embedder in the grain and CLI tests.
    /// </summary>
    private const int Files = 120;

    private readonly TempDirectory _temp = new("cgr-cancel");
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private V1.CodeGraphRag.CodeGraphRagClient Client => _server.Client;

    public async ValueTask InitializeAsync()
        => _server = await TestServer.StartAsync(new Dictionary<string, string> { ["CodeGraphRag:Indexing:DeferEmbedding"] = "false" });

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task CancelSync_MidSync_StopsItAndTheNextSyncResumesToACleanIndex()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "big"), files: Files);
        await Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { Name = "big", LocalPath = tree }, cancellationToken: Ct);
        using var follow = Client.Sync(new V1.SyncRequest { Repository = "big" }, cancellationToken: Ct);
        var streamed = new List<V1.SyncProgress>();
        while (await follow.ResponseStream.MoveNext(Ct))
        {
            streamed.Add(follow.ResponseStream.Current);
            if (follow.ResponseStream.Current.FilesProcessed > 0)
            {
                break;
            }
        }

        var response = await Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = "big" }, cancellationToken: Ct);
        var cancelled = response.Progress;
        while (await follow.ResponseStream.MoveNext(Ct))
        {
            streamed.Add(follow.ResponseStream.Current);
        }

        Assert.True(response.Cancelled);
        Assert.Equal(V1.SyncPhase.Cancelled, cancelled.Phase);
        Assert.InRange(cancelled.FilesProcessed, 1, cancelled.FilesToProcess - 1);
        Assert.Equal(V1.SyncPhase.Cancelled, streamed[^1].Phase);
        var afterCancel = await Client.StatusAsync(new V1.StatusRequest { Repository = "big" }, cancellationToken: Ct);
        var indexed = afterCancel.FilesByStatus.GetValueOrDefault("indexed");

        // Cancelled means stopped: every file written was counted, and no file grain writes after the sync said so.
        Assert.Equal(cancelled.FilesProcessed, indexed);
        Assert.Null(afterCancel.Repository.LastSyncCompleted);

        // Nothing is running now: a second cancel reports the last sync and changes nothing.
        var idle = await Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = "big" }, cancellationToken: Ct);
        Assert.False(idle.Cancelled);
        Assert.Equal(V1.SyncPhase.Cancelled, idle.Progress.Phase);
        Assert.Equal(cancelled.FilesProcessed, idle.Progress.FilesProcessed);

        var resumed = (await _server.SyncAsync("big"))[^1];
        Assert.Equal(V1.SyncPhase.Completed, resumed.Phase);
        Assert.Equal(indexed, resumed.FilesUnchanged);
        Assert.Equal(Files - indexed, resumed.FilesIndexed);

        var clean = (await _server.RegisterAndSyncAsync("clean", tree))[^1];
        Assert.Equal(V1.SyncPhase.Completed, clean.Phase);
        var big = await Client.StatusAsync(new V1.StatusRequest { Repository = "big" }, cancellationToken: Ct);
        var reference = await Client.StatusAsync(new V1.StatusRequest { Repository = "clean" }, cancellationToken: Ct);
        Assert.Equal((reference.Chunks, reference.Symbols, reference.References), (big.Chunks, big.Symbols, big.References));
        Assert.Equal(Files, big.FilesByStatus.GetValueOrDefault("indexed"));
    }

    [Fact]
    public async Task CancelSync_UnknownRepository_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = "no-such" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }
}
