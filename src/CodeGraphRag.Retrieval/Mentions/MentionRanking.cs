using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Mentions;

/// <summary>Ranks the chunks of the files a query names, one list per file for reciprocal rank fusion. Thread-safe.</summary>
public static class MentionRanking
{
    /// <summary>
    /// One ranked list per named file, files in the order of <paramref name="chunks"/> (the order of the query's paths:
    /// innermost stack frame first), each with at most <paramref name="maxChunksPerFile"/> chunks.
    /// </summary>
    /// <param name="mentions">The query's paths (<see cref="QueryMentions.Extract"/>).</param>
    /// <param name="chunks">The named files' chunks, grouped by file (<see cref="IChunkStore.GetMentionedFilesChunksAsync"/>).</param>
    /// <param name="queryTerms">The query's analysed terms.</param>
    /// <param name="maxChunksPerFile">Chunks kept per file.</param>
    /// <returns>
    /// Per file, chunks best first: chunks of a function a stack frame names, then those holding more of the query's terms,
    /// then line order. A chunk's score is its file's position (1: the first named file).
    /// </returns>
    public static IReadOnlyList<IReadOnlyList<ScoredChunk>> Rank(
        IReadOnlyList<PathMention> mentions, IReadOnlyList<ChunkRecord> chunks, IReadOnlyList<string> queryTerms, int maxChunksPerFile)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(queryTerms);
        if (maxChunksPerFile <= 0 || chunks.Count == 0)
        {
            return [];
        }

        var terms = queryTerms.ToHashSet(StringComparer.Ordinal);
        var functionsByName = mentions
            .GroupBy(m => PathMentions.FileName(PathMentions.Normalize(m.Path)), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => m.Functions).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var files = new List<(string Repository, string Path)>();
        var byFile = new Dictionary<(string, string), List<ChunkRecord>>();
        foreach (var chunk in chunks)
        {
            var key = (chunk.Repository, chunk.Path);
            if (!byFile.TryGetValue(key, out var list))
            {
                byFile[key] = list = [];
                files.Add(key);
            }

            list.Add(chunk);
        }

        var ranked = new List<IReadOnlyList<ScoredChunk>>(files.Count);
        foreach (var file in files)
        {
            var position = ranked.Count + 1;
            var functions = functionsByName.GetValueOrDefault(PathMentions.FileName(file.Path)) ?? [];
            ranked.Add(byFile[file]
                .Select((c, i) => (Chunk: c, Line: i, Frame: functions.Contains(SimpleName(c.SymbolPath)), Terms: SharedTerms(c.LexicalText, terms)))
                .OrderByDescending(c => c.Frame)
                .ThenByDescending(c => c.Terms)
                .ThenBy(c => c.Line)
                .Take(maxChunksPerFile)
                .Select(c => new ScoredChunk(c.Chunk.Id, position))
                .ToList());
        }

        return ranked;
    }

    /// <summary>The last segment of a symbol path (<c>Response.text</c> is <c>text</c>).</summary>
    private static string SimpleName(string symbolPath)
    {
        var cut = symbolPath.AsSpan().LastIndexOfAny('.', ':', '/');
        return cut < 0 ? symbolPath : symbolPath[(cut + 1)..];
    }

    private static int SharedTerms(string lexicalText, HashSet<string> terms)
    {
        if (terms.Count == 0)
        {
            return 0;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in lexicalText.AsSpan().Split(' '))
        {
            var term = lexicalText[range];
            if (terms.Contains(term))
            {
                seen.Add(term);
            }
        }

        return seen.Count;
    }
}
