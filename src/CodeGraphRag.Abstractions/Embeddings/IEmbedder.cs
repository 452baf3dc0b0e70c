namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Turns texts into L2-normalised vectors.</summary>
/// <remarks>Thread-safe; implementations batch internally. Owned by DI as a singleton.</remarks>
public interface IEmbedder : ITokenCounter
{
    /// <summary>The model this embedder runs.</summary>
    EmbeddingModelInfo Model { get; }

    /// <summary>Embeds <paramref name="texts"/>; the result has one unit-length vector per text, in order.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default);
}
