namespace CodeGraphRag.Evaluation;

/// <summary>Means of <see cref="QueryMetrics"/> over a set of queries (all 0 when there are none).</summary>
/// <param name="Queries">Number of queries.</param>
/// <param name="K">The cut-off used.</param>
/// <param name="HitAt1">Mean hit@1.</param>
/// <param name="HitAt5">Mean hit@5.</param>
/// <param name="HitAt10">Mean hit@10.</param>
/// <param name="RecallAtK">Mean recall@k.</param>
/// <param name="Mrr">Mean reciprocal rank.</param>
/// <param name="NdcgAtK">Mean nDCG@k.</param>
public sealed record MetricsSummary(
    int Queries,
    int K,
    double HitAt1,
    double HitAt5,
    double HitAt10,
    double RecallAtK,
    double Mrr,
    double NdcgAtK);
