namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Which neighbours to return.</summary>
/// <param name="Relations">Relations to follow.</param>
/// <param name="MaxPerRelation">Cap per (symbol, relation).</param>
/// <param name="MaxCandidatesPerName">A call name with more candidate definitions than this (after locality preference) is not resolved by name alone.</param>
/// <param name="Repositories">Repositories the caller may read; neighbours elsewhere are never returned. Null means all.</param>
/// <param name="Depth">Hops to follow (1 = direct neighbours).</param>
[GenerateSerializer, Immutable, Alias("cgr.NeighborQuery")]
public sealed record NeighborQuery(
    [property: Id(0)] GraphRelation Relations,
    [property: Id(1)] int MaxPerRelation,
    [property: Id(2)] int MaxCandidatesPerName,
    [property: Id(3)] IReadOnlyList<string>? Repositories,
    [property: Id(4)] int Depth = 1);
