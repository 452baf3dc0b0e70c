using CodeGraphRag.Abstractions.Embeddings;
using Xunit;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>
/// The contract of <see cref="IEmbeddingCache"/>: bit-exact round trips, only present keys returned, entries separated by
/// model id, first write wins, and batches larger than any backend's internal batch. Backends subclass and supply
/// <see cref="CreateCacheAsync"/>.
/// </summary>
public abstract class EmbeddingCacheConformanceTests
{
    private const string Model = "conformance-model@1/cls";

    /// <summary>A fresh, empty cache.</summary>
    protected abstract Task<EmbeddingCacheUnderTest> CreateCacheAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static KeyValuePair<string, float[]> Entry(string hash, params float[] vector) => new(hash, vector);

    /// <summary>Compares bit patterns, so -0 differs from 0 and a NaN payload must survive.</summary>
    private static void AssertSameBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_ThenGetMany_ReturnsBitExactVectors()
    {
        await using var under = await CreateCacheAsync();
        float[] extremes = [0.25f, -1.5f, float.Epsilon, float.MaxValue, float.MinValue, -0f, float.PositiveInfinity, BitConverter.Int32BitsToSingle(0x7FC0_1234)];
        float[] unit = [1f, 0f, 0f];

        await under.Cache.PutManyAsync(Model, [Entry("a1", extremes), Entry("b2", unit)], Ct);
        var got = await under.Cache.GetManyAsync(Model, ["a1", "b2"], Ct);

        Assert.Equal(["a1", "b2"], got.Keys.Order(StringComparer.Ordinal));
        AssertSameBits(extremes, got["a1"]);
        AssertSameBits(unit, got["b2"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMany_SomeKeysMissing_ReturnsOnlyThePresentOnes()
    {
        await using var under = await CreateCacheAsync();
        await under.Cache.PutManyAsync(Model, [Entry("h1", 1f), Entry("h3", 3f)], Ct);

        var got = await under.Cache.GetManyAsync(Model, ["h0", "h1", "h2", "h3", "H1", "h4"], Ct);

        Assert.Equal(["h1", "h3"], got.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([1f], got["h1"]);
        Assert.Equal([3f], got["h3"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMany_EmptyCacheOrNoKeys_ReturnsEmpty()
    {
        await using var under = await CreateCacheAsync();

        Assert.Empty(await under.Cache.GetManyAsync(Model, ["h1", "h2"], Ct));
        await under.Cache.PutManyAsync(Model, [Entry("h1", 1f)], Ct);
        Assert.Empty(await under.Cache.GetManyAsync(Model, [], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMany_SameKeyRequestedTwice_ReturnedOnce()
    {
        await using var under = await CreateCacheAsync();
        await under.Cache.PutManyAsync(Model, [Entry("h", 7f, 8f)], Ct);

        var got = await under.Cache.GetManyAsync(Model, ["h", "h", "missing", "missing"], Ct);

        Assert.Equal([7f, 8f], Assert.Single(got, e => e.Key == "h").Value);
        Assert.Single(got);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_ExistingKey_KeepsTheFirstVector()
    {
        await using var under = await CreateCacheAsync();
        await under.Cache.PutManyAsync(Model, [Entry("h", 1f, 2f)], Ct);

        await under.Cache.PutManyAsync(Model, [Entry("h", 9f, 9f), Entry("new", 5f)], Ct);
        var got = await under.Cache.GetManyAsync(Model, ["h", "new"], Ct);

        Assert.Equal([1f, 2f], got["h"]);
        Assert.Equal([5f], got["new"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_SameKeyTwiceInOneCall_KeepsTheFirstVector()
    {
        await using var under = await CreateCacheAsync();

        await under.Cache.PutManyAsync(Model, [Entry("h", 1f), Entry("h", 2f)], Ct);
        var got = await under.Cache.GetManyAsync(Model, ["h"], Ct);

        Assert.Equal([1f], got["h"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMany_OtherModel_DoesNotSeeVectorsOfTheSameHash()
    {
        await using var under = await CreateCacheAsync();
        await under.Cache.PutManyAsync("small@1", [Entry("h", 1f, 2f)], Ct);
        await under.Cache.PutManyAsync("large@1", [Entry("h", 3f, 4f, 5f, 6f)], Ct);

        var small = await under.Cache.GetManyAsync("small@1", ["h"], Ct);
        var large = await under.Cache.GetManyAsync("large@1", ["h"], Ct);
        var other = await under.Cache.GetManyAsync("small@2", ["h"], Ct);

        Assert.Equal([1f, 2f], small["h"]);
        Assert.Equal([3f, 4f, 5f, 6f], large["h"]);
        Assert.Empty(other);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_ManyEntries_AllReadBackInOneCall()
    {
        await using var under = await CreateCacheAsync();
        const int count = 2_500;
        var entries = Enumerable.Range(0, count).Select(i => Entry($"{i:x8}", i, -i, i / 7f)).ToList();

        await under.Cache.PutManyAsync(Model, entries, Ct);
        var got = await under.Cache.GetManyAsync(Model, [.. entries.Select(e => e.Key), "ffffffff"], Ct);

        Assert.Equal(count, got.Count);
        Assert.All(entries, e => Assert.Equal(e.Value, got[e.Key]));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_NoEntries_StoresNothing()
    {
        await using var under = await CreateCacheAsync();

        await under.Cache.PutManyAsync(Model, [], Ct);

        Assert.Empty(await under.Cache.GetManyAsync(Model, ["h"], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Calls_EmptyModelIdOrNullVector_Refused()
    {
        await using var under = await CreateCacheAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => under.Cache.GetManyAsync(string.Empty, ["h"], Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => under.Cache.PutManyAsync(string.Empty, [Entry("h", 1f)], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => under.Cache.PutManyAsync(Model, [new KeyValuePair<string, float[]>("h", null!)], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PutMany_CancelledToken_ThrowsAndStoresNothing()
    {
        await using var under = await CreateCacheAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => under.Cache.PutManyAsync(Model, [Entry("h", 1f)], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => under.Cache.GetManyAsync(Model, ["h"], cancelled.Token));

        Assert.Empty(await under.Cache.GetManyAsync(Model, ["h"], Ct));
    }
}
