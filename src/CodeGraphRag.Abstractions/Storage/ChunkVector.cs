namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A vector for a chunk that was written before its embedding.</summary>
/// <param name="ChunkId">The chunk.</param>
/// <param name="EmbeddingKey">The embedding key the vector was computed for; a chunk whose key has changed since is not updated.</param>
/// <param name="Vector">The vector of the store's model.</param>
[GenerateSerializer, Immutable, Alias("cgr.ChunkVector")]
public sealed record ChunkVector(
    [property: Id(0)] string ChunkId,
    [property: Id(1)] string EmbeddingKey,
    [property: Id(2)] float[] Vector);
