using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>One embedding cache under test; disposing releases it.</summary>
/// <param name="Cache">The cache, empty when handed out.</param>
/// <param name="Owner">Released when the test ends.</param>
public sealed record EmbeddingCacheUnderTest(IEmbeddingCache Cache, IAsyncDisposable Owner) : IAsyncDisposable
{
    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}
