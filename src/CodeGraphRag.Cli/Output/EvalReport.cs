using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Evaluation;

namespace CodeGraphRag.Cli.Output;

/// <summary>Aggregated eval results per mode, with paired bootstrap intervals against hybrid+graph.</summary>
internal sealed class EvalReport
{
    private const int Resamples = 2000;
    private const int Seed = 20261127;

    private readonly int _k;
    private readonly int _queries;
    private readonly int? _goldNeverIndexed;
    private readonly string _latencyMeasuredAt;
    private readonly Dictionary<SearchMode, List<EvalRun>> _runs;
    private readonly Dictionary<SearchMode, (MetricsSummary Summary, LatencySummary Latency)> _summaries;
    private readonly List<(SearchMode Other, string Metric, BootstrapResult Ci)> _comparisons = [];

    private EvalReport(int k, int queries, int? goldNeverIndexed, Dictionary<SearchMode, List<EvalRun>> runs, string latencyMeasuredAt)
    {
        _k = k;
        _queries = queries;
        _goldNeverIndexed = goldNeverIndexed;
        _latencyMeasuredAt = latencyMeasuredAt;
        _runs = runs;
        _summaries = runs.ToDictionary(
            kv => kv.Key,
            kv => (RetrievalMetrics.Aggregate(kv.Value.ConvertAll(r => r.Metrics)), RetrievalMetrics.Latency(kv.Value.ConvertAll(r => r.Latency))));
    }

    /// <param name="k">The metrics' cut-off.</param>
    /// <param name="queries">Queries run.</param>
    /// <param name="goldNeverIndexed">Gold files the index does not hold, or null when the target cannot tell (a server).</param>
    /// <param name="runs">Per mode, one run per query.</param>
    /// <param name="latencyMeasuredAt">Where the latencies were taken ("in process", "client round trip to ...").</param>
    public static EvalReport Build(int k, int queries, int? goldNeverIndexed, Dictionary<SearchMode, List<EvalRun>> runs, string latencyMeasuredAt = "in process")
    {
        var report = new EvalReport(k, queries, goldNeverIndexed, runs, latencyMeasuredAt);
        if (runs.TryGetValue(SearchMode.HybridGraph, out var best))
        {
            foreach (var (mode, other) in runs.Where(kv => kv.Key != SearchMode.HybridGraph))
            {
                foreach (var (metric, pick) in new (string, Func<QueryMetrics, double>)[] { ("ndcg@10", m => m.NdcgAtK), ("mrr", m => m.Mrr) })
                {
                    var a = best.ConvertAll(r => pick(r.Metrics));
                    var b = other.ConvertAll(r => pick(r.Metrics));
                    report._comparisons.Add((mode, metric, BootstrapCi.PairedDifference(a, b, Resamples, new Random(Seed))));
                }
            }
        }

        return report;
    }

    public void WriteText(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var never = _goldNeverIndexed is { } n ? n.ToString(inv) : "unknown (not visible through the API)";
        output.WriteLine(string.Create(inv, $"{_queries} queries, k={_k}; gold files never indexed: {never}; latency: {_latencyMeasuredAt}"));
        output.WriteLine("mode           hit@1  hit@5  hit@10 recall@10   MRR  nDCG@10   p50 ms   p95 ms");
        foreach (var (mode, (s, l)) in _summaries)
        {
            output.WriteLine(string.Create(inv,
                $"{SearchArguments.Name(mode),-13} {s.HitAt1,6:F3} {s.HitAt5,6:F3} {s.HitAt10,6:F3} {s.RecallAtK,9:F3} {s.Mrr,6:F3} {s.NdcgAtK,8:F3} {l.P50Ms,8:F1} {l.P95Ms,8:F1}"));
        }

        foreach (var (other, metric, ci) in _comparisons)
        {
            output.WriteLine(string.Create(inv,
                $"hybrid+graph - {SearchArguments.Name(other)} {metric}: {ci.MeanDifference:+0.000;-0.000} (95% CI {ci.Lower:+0.000;-0.000} .. {ci.Upper:+0.000;-0.000}, paired bootstrap, {Resamples} resamples)"));
        }
    }

    public void WriteJson(TextWriter output)
    {
        var document = new EvalDocument(
            _k,
            _queries,
            _goldNeverIndexed,
            _latencyMeasuredAt,
            _summaries.ToDictionary(
                kv => SearchArguments.Name(kv.Key),
                kv => new EvalModeDocument(
                    kv.Value.Summary.HitAt1, kv.Value.Summary.HitAt5, kv.Value.Summary.HitAt10, kv.Value.Summary.RecallAtK, kv.Value.Summary.Mrr,
                    kv.Value.Summary.NdcgAtK, new EvalLatencyDocument(kv.Value.Latency.P50Ms, kv.Value.Latency.P95Ms)),
                StringComparer.Ordinal),
            _comparisons.ConvertAll(c => new EvalComparisonDocument("hybrid+graph", SearchArguments.Name(c.Other), c.Metric, c.Ci.MeanDifference, c.Ci.Lower, c.Ci.Upper)),
            [.. _runs.SelectMany(kv => kv.Value.Select(run => new EvalQueryDocument(
                run.Query.Id,
                SearchArguments.Name(kv.Key),
                run.Metrics.NdcgAtK,
                run.Metrics.Mrr,
                run.Metrics.RecallAtK,
                run.Ranking,
                run.Metrics.GoldRanks.Select(g => new EvalGoldRankDocument(g.Gold, g.Rank)).ToList())))]);
        output.WriteLine(JsonSerializer.Serialize(document, EvalJsonContext.Default.EvalDocument));
    }
}

/// <summary>One query's result in one mode.</summary>
internal sealed record EvalRun(EvalQuery Query, QueryMetrics Metrics, IReadOnlyList<string> Ranking, TimeSpan Latency);
