namespace CodeGraphRag.Retrieval.Context;

/// <summary>How <see cref="ContextPacker"/> lays out a context.</summary>
public sealed class ContextPackerOptions
{
    /// <summary>Lines of related code shown (its signature and first lines); 0 shows the reference line only.</summary>
    public int RelatedMaxLines { get; set; } = 3;

    /// <summary>At most this many related items per hit.</summary>
    public int MaxRelatedPerHit { get; set; } = 6;

    /// <summary>A hit that does not fit is cut at a line boundary only if at least this many lines fit; otherwise it is omitted.</summary>
    public int MinTruncatedLines { get; set; } = 5;

    /// <summary>Whether headers carry the repository (<c>[repo] path:start-end</c>), for multi-repository contexts.</summary>
    public bool IncludeRepository { get; set; }
}
