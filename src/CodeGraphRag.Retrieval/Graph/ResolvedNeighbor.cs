using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Graph;

/// <summary>A neighbour the store found, with the chunk(s) that represent it resolved by the caller.</summary>
/// <param name="Neighbor">The neighbour as the store returned it.</param>
/// <param name="ChunkIds">Chunks that may enter the ranking for it (usually the symbol's first chunk); empty: attached as related code only.</param>
public sealed record ResolvedNeighbor(GraphNeighbor Neighbor, IReadOnlyList<string> ChunkIds);
