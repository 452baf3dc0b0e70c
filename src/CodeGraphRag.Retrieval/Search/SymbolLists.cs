using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>The ranked lists the query's named identifiers add to the fusion, each with its fusion weight.</summary>
/// <param name="Lists">Per resolved identifier, its chunks best first.</param>
/// <param name="Weights">The fusion weight of each list, in the order of <paramref name="Lists"/>.</param>
public sealed record SymbolLists(IReadOnlyList<IReadOnlyList<ScoredChunk>> Lists, IReadOnlyList<double> Weights)
{
    /// <summary>No lists.</summary>
    public static SymbolLists None { get; } = new([], []);
}
