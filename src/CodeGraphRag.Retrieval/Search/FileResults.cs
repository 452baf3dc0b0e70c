using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Files;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>The file results of a query (requests with <see cref="SearchRequest.Files"/>). Thread-safe.</summary>
public static class FileResults
{
    /// <summary>
    /// Files ranked by <see cref="FileRanking"/>: each file's admitted chunks aggregated (best plus decaying shares),
    /// fused with the files' own lexical documents (class priors applied to that share), each with its best chunks.
    /// </summary>
    /// <param name="hits">The admitted hits, best first (<see cref="SearchAdmission.Admit"/>).</param>
    /// <param name="lexical">The files' whole-file lexical ranking (empty when not searched).</param>
    /// <param name="classFactors">The class prior factors (<see cref="SearchPlan.ClassFactors"/>), or null.</param>
    /// <param name="top">The files asked for.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>At most <paramref name="top"/> files, ranked from 1.</returns>
    public static List<FileHit> Rank(List<SearchHit> hits, IReadOnlyList<ScoredFile> lexical, double[]? classFactors, int top, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(options);
        var aggregated = FileRanking.Aggregate(hits.Select(h => (h.Repository, h.Path, h.Score)), options.FileChunkDecay);
        var described = lexical.ToDictionary(f => (f.Repository, f.Path));
        var fused = FileRanking.Fuse(
            aggregated,
            lexical,
            options.RrfK,
            options.FileLexicalWeight,
            (repository, path) => classFactors is null ? 1 : classFactors[(int)described[(repository, path)].Class]);
        var byFile = hits.GroupBy(h => (h.Repository, h.Path)).ToDictionary(g => g.Key, g => g.Take(options.ChunksPerFile).ToList());
        var result = new List<FileHit>(Math.Min(top, fused.Count));
        foreach (var file in fused.Take(top))
        {
            var key = (file.Repository, file.Path);
            var best = byFile.GetValueOrDefault(key) ?? [];
            var (language, fileClass) = best.Count > 0 ? (best[0].Language, best[0].Class) : (described[key].Language, described[key].Class);
            var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.FileChunks] = file.FromChunks, [ScoreKeys.FileLexical] = file.FromLexical };
            result.Add(new FileHit(result.Count + 1, file.Repository, file.Path, language, fileClass, file.Score, scores, best));
        }

        return result;
    }
}
