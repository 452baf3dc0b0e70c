namespace CodeGraphRag.Abstractions.Search;

/// <summary>Which retrieval stages run.</summary>
public enum SearchMode
{
    /// <summary>BM25 over identifier-split text only.</summary>
    Lexical,
    /// <summary>Embedding similarity only.</summary>
    Dense,
    /// <summary>Dense and lexical fused by reciprocal rank.</summary>
    Hybrid,
    /// <summary>Hybrid, then graph expansion (callers, callees, parents) with discounted neighbour scores. The default.</summary>
    HybridGraph,
}
