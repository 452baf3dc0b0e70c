namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The read side of the code graph: neighbours resolved from late-bound references at query time.</summary>
/// <remarks>
/// Calls resolve through imports and qualified names first, then by name with the preference
/// same file &gt; imported module &gt; same repository &gt; other repositories; a name with more than
/// <see cref="NeighborQuery.MaxCandidatesPerName"/> candidates at the best level is left unresolved.
/// </remarks>
public interface ICodeGraphStore
{
    /// <summary>Neighbours of each symbol in <paramref name="symbols"/>, filtered to readable repositories.</summary>
    Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The symbols whose simple name is one of <paramref name="names"/> (exact case), in <paramref name="repositories"/>
    /// (null: all), at most <paramref name="limitPerName"/> per name ordered by (repository, path, qualified name): a
    /// caller that asks for one more than it accepts learns that a name is too common to resolve.
    /// </summary>
    Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(
        IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default);
}
