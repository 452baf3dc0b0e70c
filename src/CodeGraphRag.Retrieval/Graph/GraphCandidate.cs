using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Graph;

/// <summary>A ranked hit entering the graph stage.</summary>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Score">Its score so far (the fused score), higher is better.</param>
/// <param name="Symbol">The symbol the chunk belongs to (null: not expandable, such as a line window).</param>
/// <param name="Scores">Its score breakdown so far (null: <c>{"rrf": Score}</c>).</param>
public sealed record GraphCandidate(
    string ChunkId,
    double Score,
    SymbolKey? Symbol,
    IReadOnlyDictionary<string, double>? Scores = null);
