using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Graph;

/// <summary>A hit after the graph stage.</summary>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Score">Final score: the input score plus the graph contribution.</param>
/// <param name="Scores">Breakdown: the input breakdown plus <c>graph</c> when the graph stage contributed.</param>
/// <param name="Related">Neighbouring code of an expanded hit (never the hit itself), best share first.</param>
/// <param name="ReachedFrom">For a chunk that entered or was boosted through the graph: the chunk id of the parent hit that gave the contribution; otherwise null.</param>
/// <param name="ReachedBy">The relation through which it was reached (<see cref="GraphRelation.None"/> when not).</param>
/// <param name="IsCandidate">Whether the chunk was among the input candidates (false: it entered as a neighbour).</param>
public sealed record GraphRankedHit(
    string ChunkId,
    double Score,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<RelatedCode> Related,
    string? ReachedFrom,
    GraphRelation ReachedBy,
    bool IsCandidate);
