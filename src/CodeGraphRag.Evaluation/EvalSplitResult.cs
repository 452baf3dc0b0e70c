namespace CodeGraphRag.Evaluation;

/// <summary>A query set divided by <see cref="EvalSplit"/>.</summary>
/// <param name="Dev">Queries for tuning.</param>
/// <param name="Test">Queries for reported numbers.</param>
public sealed record EvalSplitResult(IReadOnlyList<EvalQuery> Dev, IReadOnlyList<EvalQuery> Test);
