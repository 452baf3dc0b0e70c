namespace CodeGraphRag.Retrieval.Context;

/// <summary>One hit block in a packed context.</summary>
/// <param name="HitIndex">Index of the hit in the input list.</param>
/// <param name="Path">Its path.</param>
/// <param name="StartLine">First line shown.</param>
/// <param name="EndLine">Last line shown (or the chunk's last line when its text is not a contiguous copy of the span).</param>
/// <param name="Truncated">Whether lines at the end were left out for budget.</param>
/// <param name="RelatedIncluded">Related items shown after it.</param>
public sealed record PackedBlock(int HitIndex, string Path, int StartLine, int EndLine, bool Truncated, int RelatedIncluded);
