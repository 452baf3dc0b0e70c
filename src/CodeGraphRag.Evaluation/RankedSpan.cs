namespace CodeGraphRag.Evaluation;

/// <summary>A retrieved chunk as function-level metrics see it.</summary>
/// <param name="Path">Repository-relative path.</param>
/// <param name="StartLine">First line.</param>
/// <param name="EndLine">Last line.</param>
public sealed record RankedSpan(string Path, int StartLine, int EndLine);
