namespace CodeGraphRag.Evaluation;

/// <summary>Latency percentiles (nearest rank) in milliseconds; all 0 when there were no samples.</summary>
/// <param name="Count">Number of samples.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="MeanMs">Mean.</param>
public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double MeanMs);
