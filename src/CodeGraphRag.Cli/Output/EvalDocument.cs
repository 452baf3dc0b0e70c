using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>The <c>cgr eval --json</c> document; property order here is the order on the wire.</summary>
/// <param name="K">The metrics' cut-off.</param>
/// <param name="Queries">Queries run.</param>
/// <param name="GoldNeverIndexed">Gold files the index does not hold, written as <c>null</c> when the target cannot tell.</param>
/// <param name="LatencyMeasured">Where the latencies were taken.</param>
/// <param name="Modes">Per mode name, in the order the modes ran.</param>
/// <param name="Comparisons">Paired bootstrap differences of hybrid+graph against each other mode.</param>
/// <param name="PerQuery">Each query's ranking and gold ranks, mode by mode.</param>
internal sealed record EvalDocument(
    int K,
    int Queries,
    int? GoldNeverIndexed,
    string LatencyMeasured,
    IReadOnlyDictionary<string, EvalModeDocument> Modes,
    IReadOnlyList<EvalComparisonDocument> Comparisons,
    IReadOnlyList<EvalQueryDocument> PerQuery);

/// <summary>One mode's mean metrics and latency percentiles.</summary>
internal sealed record EvalModeDocument(
    [property: JsonPropertyName("hit@1")] double HitAt1,
    [property: JsonPropertyName("hit@5")] double HitAt5,
    [property: JsonPropertyName("hit@10")] double HitAt10,
    [property: JsonPropertyName("recall@10")] double RecallAt10,
    double Mrr,
    [property: JsonPropertyName("ndcg@10")] double NdcgAt10,
    EvalLatencyDocument LatencyMs);

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record EvalLatencyDocument(double P50, double P95);

/// <summary>Mode <c>a</c> minus mode <c>b</c> on one metric, with its 95% interval.</summary>
internal sealed record EvalComparisonDocument(string A, string B, string Metric, double MeanDiff, double CiLow, double CiHigh);

/// <summary>One query in one mode, with its own metrics (so two runs can be compared query by query).</summary>
internal sealed record EvalQueryDocument(
    string Id,
    string Mode,
    [property: JsonPropertyName("ndcg@10")] double NdcgAt10,
    double Mrr,
    [property: JsonPropertyName("recall@10")] double RecallAt10,
    IReadOnlyList<string> Ranking,
    IReadOnlyList<EvalGoldRankDocument> GoldRanks);

/// <summary>A gold file's rank in the ranking, <c>null</c> when it is not ranked.</summary>
internal sealed record EvalGoldRankDocument(string Gold, int? Rank);
