using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A symbol reached from <paramref name="From"/> through <paramref name="Relation"/>.</summary>
/// <param name="From">The symbol the traversal started at.</param>
/// <param name="Relation">How the neighbour relates to it (one flag).</param>
/// <param name="Neighbor">The neighbour.</param>
/// <param name="Kind">The neighbour's kind.</param>
/// <param name="StartLine">The neighbour's first line.</param>
/// <param name="EndLine">The neighbour's last line.</param>
/// <param name="Depth">Hops from <paramref name="From"/> (1 for direct neighbours).</param>
[GenerateSerializer, Immutable, Alias("cgr.GraphNeighbor")]
public sealed record GraphNeighbor(
    [property: Id(0)] SymbolKey From,
    [property: Id(1)] GraphRelation Relation,
    [property: Id(2)] SymbolKey Neighbor,
    [property: Id(3)] SymbolKind Kind,
    [property: Id(4)] int StartLine,
    [property: Id(5)] int EndLine,
    [property: Id(6)] int Depth);
