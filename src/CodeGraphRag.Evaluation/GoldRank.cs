namespace CodeGraphRag.Evaluation;

/// <summary>Where a relevant gold file (or span) was found.</summary>
/// <param name="Gold">The gold file path (or <c>path:start-end</c> for span-level metrics).</param>
/// <param name="Rank">1-based rank, or null when it was not retrieved.</param>
public sealed record GoldRank(string Gold, int? Rank);
