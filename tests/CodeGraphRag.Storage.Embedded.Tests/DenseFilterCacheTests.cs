using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>Filtered dense search reuses the admitted keys only while nothing was written.</summary>
public sealed class DenseFilterCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(0)]
    [InlineData(20_000)]
    public async Task SearchDense_SameFilterAcrossWrites_SeesAddedAndRemovedChunks(int exactThreshold)
    {
        await using var owner = EmbeddedStoreFactory.Create(exactThreshold);
        var store = owner.Store();
        var filter = new ChunkFilter(["a", "b"], null, null);
        var first = Chunk("a", "one.py", "def first(): pass");
        await store.ApplyFileAsync(Update("a", "one.py", [first]), Ct);
        await store.ApplyFileAsync(Update("c", "hidden.py", [Chunk("c", "hidden.py", "def hidden(): pass")]), Ct);
        Assert.Equal([first.Id], (await store.SearchDenseAsync(VectorOf(first), 10, filter, Ct)).Select(h => h.ChunkId));

        var added = Chunk("b", "two.py", "def added(): pass");
        await store.ApplyFileAsync(Update("b", "two.py", [added]), Ct);
        var afterAdd = await store.SearchDenseAsync(VectorOf(added), 10, filter, Ct);

        Assert.Equal(added.Id, afterAdd[0].ChunkId);
        Assert.Equal(new[] { added.Id, first.Id }.Order(StringComparer.Ordinal), afterAdd.Select(h => h.ChunkId).Order(StringComparer.Ordinal));

        await store.RemoveFilesAsync("a", ["one.py"], Ct);

        Assert.Equal([added.Id], (await store.SearchDenseAsync(VectorOf(first), 10, filter, Ct)).Select(h => h.ChunkId));
        Assert.Equal(2, (await store.SearchDenseAsync(VectorOf(first), 10, new ChunkFilter(["b", "c"], null, null), Ct)).Count);
    }
}
