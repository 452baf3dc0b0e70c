namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Whether a text is indexed content or a search query (models may prefix queries).</summary>
public enum EmbeddingPurpose
{
    /// <summary>A chunk to be indexed.</summary>
    Document,
    /// <summary>A search query.</summary>
    Query,
}
