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

    /// <summary>The position of the hit's list among the identifiers the query names that resolved to definitions (1: the first; hybrid modes).</summary>
    public const string Symbol = "symbol";

    /// <summary>Reciprocal rank fusion score.</summary>
    public const string Rrf = "rrf";

    /// <summary>The factor the hit's file class was scored by for this query before the graph stage (absent: 1).</summary>
    public const string ClassPrior = "class_prior";

    /// <summary>Score contributed by the graph stage (a share of a parent hit's score).</summary>
    public const string Graph = "graph";
}
