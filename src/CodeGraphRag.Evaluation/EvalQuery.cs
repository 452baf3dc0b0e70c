namespace CodeGraphRag.Evaluation;

/// <summary>One evaluation query with its judged files or spans.</summary>
/// <param name="Id">Stable id (used for the dev/test split).</param>
/// <param name="Query">The query text, used as-is (no inline filter parsing).</param>
/// <param name="Gold">Judged items; relevant ones have no grade or a grade above 0.</param>
/// <param name="Repository">The repository the query targets, when the set says (SWE-bench: <c>owner/name</c>).</param>
/// <param name="BaseCommit">The commit to index for this query, when the set says.</param>
/// <param name="Language">The query's language, when the set groups queries by language (CodeSearchNet).</param>
/// <param name="NamesGoldPath">Whether the query text contains a relevant gold path verbatim (reported separately).</param>
public sealed record EvalQuery(
    string Id,
    string Query,
    IReadOnlyList<GoldItem> Gold,
    string? Repository = null,
    string? BaseCommit = null,
    string? Language = null,
    bool NamesGoldPath = false);
