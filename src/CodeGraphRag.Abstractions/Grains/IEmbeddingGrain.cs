using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Abstractions.Grains;

/// <summary>Embeds texts, batching requests from many callers; hosted on embedder silos only. A stateless worker.</summary>
[Alias("cgr.IEmbeddingGrain")]
public interface IEmbeddingGrain : IGrainWithIntegerKey
{
    /// <summary>The model the embedder silos run.</summary>
    [Alias("GetModel")]
    Task<EmbeddingModelInfo> GetModelAsync();

    /// <summary>
    /// One unit vector per text, in order, of the model <paramref name="modelId"/>: the model the caller stores or searches
    /// vectors of. An embedder that runs another model refuses (a cluster must not mix vector spaces).
    /// </summary>
    [Alias("Embed")]
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, string modelId, CancellationToken cancellationToken = default);
}
