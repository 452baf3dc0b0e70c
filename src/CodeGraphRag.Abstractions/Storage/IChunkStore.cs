namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The read side of the chunk store: dense and lexical search and chunk lookup.</summary>
public interface IChunkStore
{
    /// <summary>Top <paramref name="k"/> chunks by cosine similarity to <paramref name="query"/> (a unit vector of the current model).</summary>
    Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Top <paramref name="k"/> chunks by BM25 over the lexical text for any of <paramref name="terms"/> (already analysed, lower-case; the store escapes them).</summary>
    Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Top <paramref name="k"/> files by BM25 over each file's whole lexical document (its path, symbol names and text:
    /// a file whose functions share the query's words between them ranks as one document), filtered like chunks.
    /// </summary>
    /// <remarks>
    /// This default approximates the file documents from chunk hits (the sum of a file's three best chunk scores among
    /// the top 4 x <paramref name="k"/> chunks); backends with a file-level lexical index override it.
    /// </remarks>
    async Task<IReadOnlyList<ScoredFile>> SearchFilesLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default)
    {
        var hits = await SearchLexicalAsync(terms, k * 4, filter, cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0)
        {
            return [];
        }

        var records = (await GetChunksAsync([.. hits.Select(h => h.ChunkId)], cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return [.. hits
            .Where(h => records.ContainsKey(h.ChunkId))
            .GroupBy(h => (records[h.ChunkId].Repository, records[h.ChunkId].Path))
            .Select(g => new ScoredFile(
                g.Key.Repository, g.Key.Path, g.OrderByDescending(h => h.Score).Take(3).Sum(h => h.Score), records[g.First().ChunkId].Language, records[g.First().ChunkId].Class))
            .OrderByDescending(f => f.Score)
            .ThenBy(f => f.Repository, StringComparer.Ordinal)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .Take(k)];
    }

    /// <summary>The chunks with these ids that exist, in no particular order.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>The chunks of one symbol (several when it was split), in line order.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// The chunks of the stored files that <paramref name="paths"/> name (paths as a query writes them: stack frames,
    /// error messages, links), each path resolved by <see cref="PathMentions.Resolve"/> over the files of
    /// <paramref name="repositories"/> (null: all) with its file name, at most <paramref name="maxFilesPerPath"/> files
    /// per path (more is ambiguous: none). Grouped by file in the order of the paths that first resolved to them, each
    /// file's chunks in line order; a file named twice comes once.
    /// </summary>
    Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
        IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// The chunks of many symbols at once: every distinct requested symbol is a key, mapped to what
    /// <see cref="GetSymbolChunksAsync"/> returns for it (its chunks in line order, empty when it has none).
    /// </summary>
    /// <remarks>
    /// Like <see cref="GetSymbolChunksAsync"/> it applies no access filter: callers pass symbols they may read (graph
    /// neighbours arrive already restricted by <see cref="NeighborQuery.Repositories"/>). This default makes one call per
    /// symbol; backends override it with one set-based lookup.
    /// </remarks>
    async Task<IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>>> GetSymbolsChunksAsync(
        IReadOnlyCollection<SymbolKey> symbols, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var result = new Dictionary<SymbolKey, IReadOnlyList<ChunkRecord>>();
        foreach (var symbol in symbols)
        {
            if (!result.ContainsKey(symbol))
            {
                result[symbol] = await GetSymbolChunksAsync(symbol.Repository, symbol.Path, symbol.QualifiedName, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }
}
