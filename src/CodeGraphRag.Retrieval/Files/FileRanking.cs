using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Files;

/// <summary>Ranks files from their ranked chunks and from their whole-file lexical documents. Thread-safe.</summary>
public static class FileRanking
{
    /// <summary>
    /// Files in order of their chunk score: the best chunk's score plus <paramref name="decay"/> times the second's, plus
    /// <paramref name="decay"/>² times the third's, and so on, so a file with several matching functions beats one lucky
    /// chunk. Ties keep the order in which the files' best chunks ranked.
    /// </summary>
    /// <param name="chunks">Ranked chunks, best first, as (repository, path, score).</param>
    /// <param name="decay">Share of each further chunk, in [0, 1].</param>
    public static IReadOnlyList<RankedFile> Aggregate(IEnumerable<(string Repository, string Path, double Score)> chunks, double decay)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var files = new Dictionary<(string, string), (double Score, double Weight, int First)>();
        var position = 0;
        foreach (var (repository, path, score) in chunks)
        {
            var key = (repository, path);
            files[key] = files.TryGetValue(key, out var file)
                ? (file.Score + (file.Weight * score), file.Weight * decay, file.First)
                : (score, decay, position);
            position++;
        }

        return [.. files
            .OrderByDescending(f => f.Value.Score)
            .ThenBy(f => f.Value.First)
            .Select(f => new RankedFile(f.Key.Item1, f.Key.Item2, f.Value.Score))];
    }

    /// <summary>
    /// Reciprocal rank fusion of the chunk-aggregated ranking and the file-lexical ranking (weight
    /// <paramref name="lexicalWeight"/>, times the file class's factor from <paramref name="classFactor"/>, so the class
    /// priors hold for files that reach the ranking through their document alone).
    /// </summary>
    /// <returns>Fused files, best first, each with its score parts.</returns>
    public static IReadOnlyList<FusedFile> Fuse(
        IReadOnlyList<RankedFile> aggregated, IReadOnlyList<ScoredFile> lexical, int rrfK, double lexicalWeight, Func<string, string, double> classFactor)
    {
        ArgumentNullException.ThrowIfNull(aggregated);
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(classFactor);
        var fused = new Dictionary<(string, string), (double Chunks, double Lexical, int First)>();
        for (var i = 0; i < aggregated.Count; i++)
        {
            fused[(aggregated[i].Repository, aggregated[i].Path)] = (1.0 / (rrfK + i + 1), 0, i);
        }

        for (var i = 0; i < lexical.Count; i++)
        {
            var key = (lexical[i].Repository, lexical[i].Path);
            var share = lexicalWeight * classFactor(lexical[i].Repository, lexical[i].Path) / (rrfK + i + 1);
            fused[key] = fused.TryGetValue(key, out var f) ? (f.Chunks, share, f.First) : (0, share, aggregated.Count + i);
        }

        return [.. fused
            .OrderByDescending(f => f.Value.Chunks + f.Value.Lexical)
            .ThenBy(f => f.Value.First)
            .Select(f => new FusedFile(f.Key.Item1, f.Key.Item2, f.Value.Chunks + f.Value.Lexical, f.Value.Chunks, f.Value.Lexical))];
    }
}
