using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests.Output;

/// <summary>
/// Pins the exact bytes of <c>cgr eval --json</c>: property names and order, modes in run order, the bootstrap
/// comparisons against hybrid+graph, null ranks and gold counts, full-precision metrics, default (strict) escaping and
/// indentation.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvalReportTests
{
    [Fact]
    public void WriteJson_TwoModesUnknownGoldCount_IsTheDocumentedDocument()
    {
        var report = EvalReport.Build(10, 2, goldNeverIndexed: null, new Dictionary<SearchMode, List<EvalRun>>
        {
            [SearchMode.Lexical] = [Run("q1", 0, 1 / 3.0, null, 12.25), Run("q-ü", 1, 1, 1, 3.5)],
            [SearchMode.HybridGraph] = [Run("q1", 1, 1, 1, 20), Run("q-ü", 1, 0.5, 2, 41.75)],
        }, "client round trip to http://localhost:5000 <a&b>");

        var output = new StringWriter();
        report.WriteJson(output);

        Assert.Equal(Golden("""
            {
              "k": 10,
              "queries": 2,
              "gold_never_indexed": null,
              "latency_measured": "client round trip to http://localhost:5000 \u003Ca\u0026b\u003E",
              "modes": {
                "lexical": {
                  "hit@1": 0.5,
                  "hit@5": 0.5,
                  "hit@10": 0.5,
                  "recall@10": 0.5,
                  "mrr": 0.6666666666666666,
                  "ndcg@10": 0.6,
                  "latency_ms": {
                    "p50": 3.5,
                    "p95": 12.25
                  }
                },
                "hybrid\u002Bgraph": {
                  "hit@1": 1,
                  "hit@5": 1,
                  "hit@10": 1,
                  "recall@10": 1,
                  "mrr": 0.75,
                  "ndcg@10": 0.675,
                  "latency_ms": {
                    "p50": 20,
                    "p95": 41.75
                  }
                }
              },
              "comparisons": [
                {
                  "a": "hybrid\u002Bgraph",
                  "b": "lexical",
                  "metric": "ndcg@10",
                  "mean_diff": 0.07500000000000004,
                  "ci_low": -0.45,
                  "ci_high": 0.6000000000000001
                },
                {
                  "a": "hybrid\u002Bgraph",
                  "b": "lexical",
                  "metric": "mrr",
                  "mean_diff": 0.08333333333333337,
                  "ci_low": -0.5,
                  "ci_high": 0.6666666666666667
                }
              ],
              "per_query": [
                {
                  "id": "q1",
                  "mode": "lexical",
                  "ndcg@10": 0.3,
                  "mrr": 0.3333333333333333,
                  "recall@10": 0,
                  "ranking": [
                    "src/a.py",
                    "src/b \u003Cc\u003E.py"
                  ],
                  "gold_ranks": [
                    {
                      "gold": "src/gold.py",
                      "rank": null
                    },
                    {
                      "gold": "src/other\u002B\u00E9.py",
                      "rank": null
                    }
                  ]
                },
                {
                  "id": "q-\u00FC",
                  "mode": "lexical",
                  "ndcg@10": 0.9,
                  "mrr": 1,
                  "recall@10": 1,
                  "ranking": [
                    "src/gold.py",
                    "src/a.py"
                  ],
                  "gold_ranks": [
                    {
                      "gold": "src/gold.py",
                      "rank": 1
                    },
                    {
                      "gold": "src/other\u002B\u00E9.py",
                      "rank": null
                    }
                  ]
                },
                {
                  "id": "q1",
                  "mode": "hybrid\u002Bgraph",
                  "ndcg@10": 0.9,
                  "mrr": 1,
                  "recall@10": 1,
                  "ranking": [
                    "src/gold.py",
                    "src/a.py"
                  ],
                  "gold_ranks": [
                    {
                      "gold": "src/gold.py",
                      "rank": 1
                    },
                    {
                      "gold": "src/other\u002B\u00E9.py",
                      "rank": null
                    }
                  ]
                },
                {
                  "id": "q-\u00FC",
                  "mode": "hybrid\u002Bgraph",
                  "ndcg@10": 0.45,
                  "mrr": 0.5,
                  "recall@10": 1,
                  "ranking": [
                    "src/gold.py",
                    "src/a.py"
                  ],
                  "gold_ranks": [
                    {
                      "gold": "src/gold.py",
                      "rank": 2
                    },
                    {
                      "gold": "src/other\u002B\u00E9.py",
                      "rank": null
                    }
                  ]
                }
              ]
            }
            """), output.ToString());
    }

    [Fact]
    public void WriteJson_OneModeKnownGoldCount_HasNoComparisons()
    {
        var report = EvalReport.Build(5, 1, goldNeverIndexed: 3, new Dictionary<SearchMode, List<EvalRun>>
        {
            [SearchMode.Dense] = [Run("only", 0, 0, null, 1)],
        });

        var output = new StringWriter();
        report.WriteJson(output);

        Assert.Equal(Golden("""
            {
              "k": 5,
              "queries": 1,
              "gold_never_indexed": 3,
              "latency_measured": "in process",
              "modes": {
                "dense": {
                  "hit@1": 0,
                  "hit@5": 0,
                  "hit@10": 0,
                  "recall@10": 0,
                  "mrr": 0,
                  "ndcg@10": 0,
                  "latency_ms": {
                    "p50": 1,
                    "p95": 1
                  }
                }
              },
              "comparisons": [],
              "per_query": [
                {
                  "id": "only",
                  "mode": "dense",
                  "ndcg@10": 0,
                  "mrr": 0,
                  "recall@10": 0,
                  "ranking": [
                    "src/a.py",
                    "src/b \u003Cc\u003E.py"
                  ],
                  "gold_ranks": [
                    {
                      "gold": "src/gold.py",
                      "rank": null
                    },
                    {
                      "gold": "src/other\u002B\u00E9.py",
                      "rank": null
                    }
                  ]
                }
              ]
            }
            """), output.ToString());
    }

    private static EvalRun Run(string id, double hit, double mrr, int? rank, double latencyMs) => new(
        new EvalQuery(id, "query " + id, [new GoldItem("src/gold.py")]),
        new QueryMetrics(10, hit, hit, hit, hit, mrr, mrr * 0.9, [new GoldRank("src/gold.py", rank), new GoldRank("src/other+é.py", null)]),
        rank is null ? ["src/a.py", "src/b <c>.py"] : ["src/gold.py", "src/a.py"],
        TimeSpan.FromMilliseconds(latencyMs));

    private static string Golden(string text) => text.ReplaceLineEndings(Environment.NewLine) + Environment.NewLine;
}
