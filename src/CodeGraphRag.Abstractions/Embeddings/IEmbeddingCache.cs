namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Content-addressed embedding cache keyed by (model id, hash of the embedded text).</summary>
public interface IEmbeddingCache
{
    /// <summary>Returns the cached vectors for the keys that are present.</summary>
    Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default);

    /// <summary>Stores vectors; existing keys are left as they are.</summary>
    Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default);
}
