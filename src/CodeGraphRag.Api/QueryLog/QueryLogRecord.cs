namespace CodeGraphRag.Api.QueryLog;

/// <summary>One Search or GetContext call in the query log (one JSON line).</summary>
/// <param name="QueryId">The id returned to the caller.</param>
/// <param name="Timestamp">When the query was answered.</param>
/// <param name="Operation"><c>Search</c> or <c>GetContext</c>.</param>
/// <param name="Query">The query text.</param>
/// <param name="Repositories">Repository filter as requested (null: all readable).</param>
/// <param name="Languages">Language filter (null: all).</param>
/// <param name="PathGlob">Path filter (null: all).</param>
/// <param name="Mode">Retrieval mode that ran.</param>
/// <param name="Hits">Returned results in rank order.</param>
/// <param name="LatencyMs">Server-side latency in milliseconds.</param>
/// <param name="Caller">The principal.</param>
public sealed record QueryLogRecord(
    string QueryId,
    DateTimeOffset Timestamp,
    string Operation,
    string Query,
    IReadOnlyList<string>? Repositories,
    IReadOnlyList<string>? Languages,
    string? PathGlob,
    string Mode,
    IReadOnlyList<QueryLogHit> Hits,
    double LatencyMs,
    string Caller);
