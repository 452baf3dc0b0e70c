namespace CodeGraphRag.Evaluation;

/// <summary>A judged file or span of a query.</summary>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="StartLine">First line of the judged span (null: the whole file).</param>
/// <param name="EndLine">Last line of the judged span (null: the whole file).</param>
/// <param name="Grade">Graded relevance (null: relevant, gain 1; 0: judged not relevant).</param>
public sealed record GoldItem(string Path, int? StartLine = null, int? EndLine = null, double? Grade = null)
{
    /// <summary>Whether the item counts as relevant (no grade, or a grade above 0).</summary>
    public bool IsRelevant => Grade is null || Grade > 0;

    /// <summary>The gain it contributes to nDCG (1 without a grade).</summary>
    public double Gain => Grade ?? 1.0;
}
