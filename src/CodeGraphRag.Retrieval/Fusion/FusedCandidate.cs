namespace CodeGraphRag.Retrieval.Fusion;

/// <summary>A chunk after reciprocal rank fusion.</summary>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Score">The fused score: the sum over lists of <c>weight / (k + rank)</c>.</param>
/// <param name="Ranks">The chunk's 1-based rank in each input list (by list index), null where it was absent.</param>
/// <param name="RawScores">The backend score in each input list (by list index), null where it was absent.</param>
public sealed record FusedCandidate(
    string ChunkId,
    double Score,
    IReadOnlyList<int?> Ranks,
    IReadOnlyList<double?> RawScores);
