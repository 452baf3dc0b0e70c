namespace CodeGraphRag.Retrieval;

/// <summary>Names of the stages in a hit's score breakdown (<c>SearchHit.Scores</c>, the CLI's <c>scores</c> object).</summary>
public static class ScoreKeys
{
    /// <summary>Raw dense (cosine) score.</summary>
    public const string Dense = "dense";

    /// <summary>Raw lexical (BM25) score.</summary>
    public const string Lexical = "lexical";

    /// <summary>The position of the hit's file among the files the query names by path (1: the innermost stack frame's or the first named; hybrid modes).</summary>
    public const string Mention = "mention";

    /// <summary>Reciprocal rank fusion score.</summary>
    public const string Rrf = "rrf";

    /// <summary>The factor a long query's prose chunk (changelog, docs) was scored down by before the graph stage (1: none).</summary>
    public const string ProsePrior = "prose_prior";

    /// <summary>The factor a long query's test-code chunk was scored down by before the graph stage (1: none).</summary>
    public const string TestPrior = "test_prior";

    /// <summary>Score contributed by the graph stage (a share of a parent hit's score).</summary>
    public const string Graph = "graph";
}
