using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;
using static CodeGraphRag.Storage.Milvus.Tests.MilvusTestSetup;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>The split deployment's catalog: the graph half's counts, the backlog of vectors from Milvus.</summary>
public sealed class SplitCatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetStats_GraphCountsWithTheAwaitingVectorsMilvusCounts()
    {
        using var directory = new TempDirectory();
        await using var store = new EmbeddedStore(new EmbeddedStorageOptions { DataDirectory = directory.Path, ModelId = "test-model@1", Dimensions = ConformanceData.Dimensions });
        var graph = new EmbeddedGraphIndex(store);
        await graph.ApplyFileAsync(new FileRecord("r", "src/a.py", "python", "h", 10, "p", FileStatus.Indexed, null, 3), FileGraph.Empty, Ct);
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[{"count(*)":2}]}""");
        var catalog = new SplitRepositoryCatalog(graph, Index(server));

        var stats = await catalog.GetStatsAsync("r", Ct);

        Assert.Equal(2, stats.ChunksAwaitingVectors);
        Assert.Equal(3, stats.Chunks);
        Assert.Equal(1, stats.Files[FileStatus.Indexed]);
        Assert.Contains("embedding_key like", Assert.Single(server.To("entities/query")).Body, StringComparison.Ordinal);
        Assert.Null(await catalog.GetRepositoryAsync("unknown", Ct));
    }
}
