using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Evaluation;

namespace CodeGraphRag.Cli.Evaluation;

/// <summary>What <c>cgr eval</c> runs: the query set after <c>--split</c>/<c>--limit</c>, the repository, k, depth and modes.</summary>
/// <param name="Queries">The queries, in file order.</param>
/// <param name="SwebenchCheckout">The checkout to sync per base commit (SWE-bench), or null.</param>
/// <param name="Repository">The repository the queries run against.</param>
/// <param name="K">The cut-off of the metrics.</param>
/// <param name="Depth">Hits retrieved per query (span metrics look past k).</param>
/// <param name="Modes">The retrieval modes to score.</param>
/// <param name="Json">Write the JSON report instead of the table.</param>
internal sealed record EvalPlan(
    IReadOnlyList<EvalQuery> Queries, string? SwebenchCheckout, string Repository, int K, int Depth, IReadOnlyList<SearchMode> Modes, bool Json);
