using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Embedding;

/// <summary>
/// The embedding grain embeds only for callers that store or search vectors of its own model: a caller naming another
/// model (a silo configured with another model, window or precision) is refused, naming both, and nothing is embedded.
/// The multi-process case (an embedder silo with another window) is in the end-to-end cluster tests.
/// </summary>
[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class EmbeddingModelMismatchTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-embed-mismatch");

    [Fact]
    public async Task Embed_CallerNamesAnotherModel_IsRefusedNamingBoth_OwnModelEmbeds()
    {
        var embedder = new StallingEmbedder();
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"), embedder: embedder);
        var grain = harness.Client.GetGrain<IEmbeddingGrain>(0);
        var own = (await grain.GetModelAsync()).Id;
        var other = own + "+int8";

        var refused = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => grain.EmbedAsync(["validate a token"], EmbeddingPurpose.Document, other));
        var vectors = await grain.EmbedAsync(["validate a token"], EmbeddingPurpose.Document, own);

        Assert.Contains($"'{other}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"'{own}'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, embedder.DocumentCalls);
        Assert.Single(vectors);
        Assert.Equal(SharedEmbedder.Instance.Model.Dimensions, vectors[0].Length);
    }

    public void Dispose() => _temp.Dispose();
}
