using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>Turns the final ranking into hits: which ranked chunks are admitted, how many, and in what shape. Thread-safe.</summary>
public static class SearchAdmission
{
    /// <summary>The candidates as they rank when the graph stage does not run: no related code, each its own candidate.</summary>
    /// <param name="candidates">The fused (and prior-weighted) candidates, best first.</param>
    /// <returns>The ranking.</returns>
    public static IReadOnlyList<GraphRankedHit> WithoutGraph(IReadOnlyList<GraphCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Select(c => new GraphRankedHit(c.ChunkId, c.Score, c.Scores!, [], null, GraphRelation.None, true))];
    }

    /// <summary>
    /// The admitted hits, ranked from 1: ranked chunks that are known and within the query's scope (graph newcomers must
    /// still satisfy its language, path and class filters). Without file results it stops at <see cref="SearchRequest.Top"/>;
    /// with them it admits every chunk, as the files aggregate them all.
    /// </summary>
    /// <param name="ranked">The final ranking, best first.</param>
    /// <param name="records">The ranked chunks by id.</param>
    /// <param name="scope">The query's scope.</param>
    /// <param name="top">The hits asked for.</param>
    /// <param name="files">Whether file results are asked for.</param>
    /// <returns>The admitted hits.</returns>
    public static List<SearchHit> Admit(
        IReadOnlyList<GraphRankedHit> ranked, IReadOnlyDictionary<string, ChunkRecord> records, SearchScope scope, int top, bool files)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(scope);
        var admitted = new List<SearchHit>(ranked.Count);
        foreach (var hit in ranked)
        {
            if (records.TryGetValue(hit.ChunkId, out var r) && scope.Admits(r))
            {
                admitted.Add(new SearchHit(admitted.Count + 1, r.Id, r.Repository, r.Path, r.StartLine, r.EndLine, r.SymbolPath, r.Kind,
                    r.Language, hit.Score, hit.Scores, r.Text, hit.Related, r.Class));
            }

            if (!files && admitted.Count == top)
            {
                break;
            }
        }

        return admitted;
    }

    /// <summary>The first <paramref name="top"/> admitted hits.</summary>
    /// <param name="admitted">The admitted hits (<see cref="Admit"/>).</param>
    /// <param name="top">The hits asked for.</param>
    /// <returns>At most <paramref name="top"/> hits.</returns>
    public static IReadOnlyList<SearchHit> Top(List<SearchHit> admitted, int top)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        return admitted.Count > top ? admitted[..top] : admitted;
    }
}
