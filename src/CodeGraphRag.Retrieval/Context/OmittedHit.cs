namespace CodeGraphRag.Retrieval.Context;

/// <summary>A hit left out of a packed context.</summary>
/// <param name="HitIndex">Index of the hit in the input list.</param>
/// <param name="Path">Its path.</param>
/// <param name="StartLine">Its first line (of the part dropped, when an earlier part of it was shown).</param>
/// <param name="EndLine">Its last line.</param>
/// <param name="Reason">Why.</param>
public sealed record OmittedHit(int HitIndex, string Path, int StartLine, int EndLine, ContextOmission Reason);
