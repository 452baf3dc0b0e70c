namespace CodeGraphRag.Api.QueryLog;

/// <summary>One returned result as the query log records it.</summary>
/// <param name="Rank">1-based rank.</param>
/// <param name="ChunkId">The chunk id (the Feedback RPC's result id).</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path.</param>
/// <param name="Score">Final score.</param>
/// <param name="Scores">Score breakdown by stage.</param>
public sealed record QueryLogHit(int Rank, string ChunkId, string Repository, string Path, double Score, IReadOnlyDictionary<string, double> Scores);
