namespace CodeGraphRag.Evaluation;

/// <summary>Metrics of one query.</summary>
/// <param name="K">The cut-off of <paramref name="RecallAtK"/> and <paramref name="NdcgAtK"/>.</param>
/// <param name="HitAt1">1 when a relevant item is at rank 1, else 0.</param>
/// <param name="HitAt5">1 when a relevant item is in the top 5, else 0.</param>
/// <param name="HitAt10">1 when a relevant item is in the top 10, else 0.</param>
/// <param name="RecallAtK">Share of relevant items in the top k.</param>
/// <param name="Mrr">Reciprocal rank of the first relevant item over the whole ranking (0 when none).</param>
/// <param name="NdcgAtK">Normalised discounted cumulative gain at k (linear gains: the grade, or 1 without grades).</param>
/// <param name="GoldRanks">Each relevant item's rank, in gold order.</param>
public sealed record QueryMetrics(
    int K,
    double HitAt1,
    double HitAt5,
    double HitAt10,
    double RecallAtK,
    double Mrr,
    double NdcgAtK,
    IReadOnlyList<GoldRank> GoldRanks);
