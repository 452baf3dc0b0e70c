namespace CodeGraphRag.Embeddings.Benchmarks;

/// <summary>Size of a BERT-style encoder, for counting its FLOPs.</summary>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Ffn">Feed-forward inner size.</param>
public sealed record EncoderShape(int Layers, int Hidden, int Ffn)
{
    /// <summary>Both bundled models (all-MiniLM-L6-v2, snowflake-arctic-embed-xs): 6 layers, hidden 384, FFN 1536.</summary>
    public static EncoderShape Bundled { get; } = new(6, 384, 1536);

    /// <summary>
    /// FLOPs of one text of <paramref name="tokens"/> tokens: per token 2 x layers x (4h^2 + 2h x ffn) for the
    /// projections and feed-forward, plus attention scores and mixing, 2 x layers x 2 x tokens x h per token.
    /// </summary>
    public double FlopsPerText(int tokens) =>
        (tokens * DenseFlopsPerToken) + (2.0 * Layers * 2.0 * tokens * (double)tokens * Hidden);

    /// <summary>Average FLOPs per token for texts of exactly <paramref name="tokens"/> tokens (~23.6 M at 256 for the bundled shape).</summary>
    public double FlopsPerToken(int tokens) => tokens <= 0 ? 0 : FlopsPerText(tokens) / tokens;

    private double DenseFlopsPerToken => 2.0 * Layers * ((4.0 * Hidden * Hidden) + (2.0 * Hidden * Ffn));
}
