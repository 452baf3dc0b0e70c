using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// The graph stage's lookups: which candidates' symbols are expanded, what their neighbour query asks, and how the
/// neighbours found map to chunks. Thread-safe.
/// </summary>
public static class NeighborLookup
{
    /// <summary>Each candidate with the symbol of its chunk, when the chunk is known.</summary>
    /// <param name="candidates">The fused candidates.</param>
    /// <param name="records">The candidates' chunks by id.</param>
    /// <returns>The candidates, in the same order.</returns>
    public static List<GraphCandidate> WithSymbols(List<GraphCandidate> candidates, IReadOnlyDictionary<string, ChunkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(records);
        return candidates.ConvertAll(c => records.TryGetValue(c.ChunkId, out var r) ? c with { Symbol = new SymbolKey(r.Repository, r.Path, r.SymbolPath) } : c);
    }

    /// <summary>The symbols expanded: those of the first <see cref="GraphStageOptions.ExpandTop"/> candidates, each once.</summary>
    /// <param name="candidates">The candidates, best first, with their symbols (<see cref="WithSymbols"/>).</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The symbols, possibly none.</returns>
    public static IReadOnlyList<SymbolKey> ToExpand(IReadOnlyList<GraphCandidate> candidates, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(options);
        return [.. candidates.Take(options.Graph.ExpandTop).Where(c => c.Symbol is not null).Select(c => c.Symbol!).Distinct()];
    }

    /// <summary>The neighbour query: every relation, <see cref="SearchOptions.MaxNeighborsPerRelation"/> each, within the readable repositories.</summary>
    /// <param name="scope">The query's scope.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The neighbour query.</returns>
    public static NeighborQuery Query(SearchScope scope, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        return new NeighborQuery(GraphRelation.All, options.MaxNeighborsPerRelation, options.Graph.MaxCandidatesPerName, scope.Filter.Repositories);
    }

    /// <summary>
    /// Each neighbour with the ids of its chunks (none when the store found none), and every neighbour chunk added to
    /// <paramref name="records"/> where its id is not there yet.
    /// </summary>
    /// <param name="neighbors">The neighbours found.</param>
    /// <param name="found">The neighbours' chunks by symbol, in line order.</param>
    /// <param name="records">The chunks known so far by id; filled in.</param>
    /// <returns>The resolved neighbours, in the order found.</returns>
    public static IReadOnlyList<ResolvedNeighbor> Resolve(
        IReadOnlyList<GraphNeighbor> neighbors, IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>> found, IDictionary<string, ChunkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(records);
        var chunkIds = new Dictionary<SymbolKey, IReadOnlyList<string>>(found.Count);
        foreach (var (symbol, symbolChunks) in found)
        {
            foreach (var c in symbolChunks)
            {
                records.TryAdd(c.Id, c);
            }

            chunkIds[symbol] = symbolChunks.Select(c => c.Id).ToList();
        }

        return [.. neighbors.Select(n => new ResolvedNeighbor(n, chunkIds.GetValueOrDefault(n.Neighbor) ?? []))];
    }
}
