using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Fusion;
using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// Fuses a query's ranked lists into graph-stage candidates: dense and lexical weighted by query length, then the named
/// files' lists, then the named identifiers' lists, by <see cref="ReciprocalRankFusion"/>. Thread-safe.
/// </summary>
public static class SearchFusion
{
    /// <summary>
    /// The fused candidates, best first, each with its score breakdown: the fused score always, the raw score of its
    /// dense, lexical, first named-file and first named-identifier appearance when <see cref="SearchPlan.ShowRawScores"/>.
    /// </summary>
    /// <param name="plan">The query's plan (query length, raw scores).</param>
    /// <param name="options">The query pipeline settings (RRF k, weights).</param>
    /// <param name="dense">The dense list (empty when not built).</param>
    /// <param name="lexical">The lexical list (empty when not built).</param>
    /// <param name="paths">The named files' lists, first named first (<see cref="PathMentionLists"/>).</param>
    /// <param name="symbols">The named identifiers' lists and weights (<see cref="SymbolMentionLists"/>).</param>
    /// <returns>The candidates, without symbols yet.</returns>
    public static List<GraphCandidate> Fuse(
        SearchPlan plan,
        SearchOptions options,
        IReadOnlyList<ScoredChunk> dense,
        IReadOnlyList<ScoredChunk> lexical,
        IReadOnlyList<IReadOnlyList<ScoredChunk>> paths,
        SymbolLists symbols)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(symbols);
        var fused = ReciprocalRankFusion.Fuse(
            [dense, lexical, .. paths, .. symbols.Lists],
            options.RrfK,
            [.. options.FusionWeights(plan.LongQuery), .. options.MentionWeights(paths.Count), .. symbols.Weights]);
        return [.. fused.Select(f => new GraphCandidate(f.ChunkId, f.Score, null, Breakdown(f, plan.ShowRawScores, paths.Count)))];
    }

    private static Dictionary<string, double> Breakdown(FusedCandidate f, bool showRaw, int pathLists)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.Rrf] = f.Score };
        if (showRaw)
        {
            if (f.RawScores[0] is { } d)
            {
                scores[ScoreKeys.Dense] = d;
            }

            if (f.RawScores[1] is { } l)
            {
                scores[ScoreKeys.Lexical] = l;
            }

            if (f.RawScores.Skip(2).Take(pathLists).FirstOrDefault(m => m is not null) is { } m)
            {
                scores[ScoreKeys.Mention] = m;
            }

            if (f.RawScores.Skip(2 + pathLists).FirstOrDefault(m => m is not null) is { } s)
            {
                scores[ScoreKeys.Symbol] = s;
            }
        }

        return scores;
    }
}
