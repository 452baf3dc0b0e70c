namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Identity and shape of an embedding model.</summary>
/// <param name="Id">Stable id naming the model, its version and pooling (e.g. <c>arctic-embed-xs@24.9.52193/cls</c>); vectors of different ids never mix.</param>
/// <param name="Dimensions">Vector length.</param>
/// <param name="MaxTokens">The model's input window in tokens, special tokens included.</param>
/// <param name="Precision">The precision the embedder runs the model at (<c>fp32</c>, <c>int8</c>); null when it does not say.</param>
[GenerateSerializer, Immutable, Alias("cgr.EmbeddingModelInfo")]
public sealed record EmbeddingModelInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] int Dimensions,
    [property: Id(2)] int MaxTokens,
    [property: Id(3)] string? Precision = null);
