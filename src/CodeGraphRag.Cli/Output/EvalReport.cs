using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Retrieval.Evaluation;

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
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("k", _k);
            w.WriteNumber("queries", _queries);
            if (_goldNeverIndexed is { } never)
            {
                w.WriteNumber("gold_never_indexed", never);
            }
            else
            {
                w.WriteNull("gold_never_indexed");
            }

            w.WriteString("latency_measured", _latencyMeasuredAt);
            w.WriteStartObject("modes");
            foreach (var (mode, (s, l)) in _summaries)
            {
                w.WriteStartObject(SearchArguments.Name(mode));
                w.WriteNumber("hit@1", s.HitAt1);
                w.WriteNumber("hit@5", s.HitAt5);
                w.WriteNumber("hit@10", s.HitAt10);
                w.WriteNumber("recall@10", s.RecallAtK);
                w.WriteNumber("mrr", s.Mrr);
                w.WriteNumber("ndcg@10", s.NdcgAtK);
                w.WriteStartObject("latency_ms");
                w.WriteNumber("p50", l.P50Ms);
                w.WriteNumber("p95", l.P95Ms);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("comparisons");
            foreach (var (other, metric, ci) in _comparisons)
            {
                w.WriteStartObject();
                w.WriteString("a", "hybrid+graph");
                w.WriteString("b", SearchArguments.Name(other));
                w.WriteString("metric", metric);
                w.WriteNumber("mean_diff", ci.MeanDifference);
                w.WriteNumber("ci_low", ci.Lower);
                w.WriteNumber("ci_high", ci.Upper);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("per_query");
            foreach (var (mode, rows) in _runs)
            {
                foreach (var (query, metrics, ranking, _) in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("id", query.Id);
                    w.WriteString("mode", SearchArguments.Name(mode));
                    w.WriteStartArray("ranking");
                    foreach (var path in ranking)
                    {
                        w.WriteStringValue(path);
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("gold_ranks");
                    foreach (var g in metrics.GoldRanks)
                    {
                        w.WriteStartObject();
                        w.WriteString("gold", g.Gold);
                        if (g.Rank is { } rank)
                        {
                            w.WriteNumber("rank", rank);
                        }
                        else
                        {
                            w.WriteNull("rank");
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}

/// <summary>One query's result in one mode.</summary>
internal sealed record EvalRun(EvalQuery Query, QueryMetrics Metrics, IReadOnlyList<string> Ranking, TimeSpan Latency);
