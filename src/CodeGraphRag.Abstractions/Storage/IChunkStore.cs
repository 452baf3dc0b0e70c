namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The read side of the chunk store: dense and lexical search and chunk lookup.</summary>
public interface IChunkStore
{
    /// <summary>Top <paramref name="k"/> chunks by cosine similarity to <paramref name="query"/> (a unit vector of the current model).</summary>
    Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Top <paramref name="k"/> chunks by BM25 over the lexical text for any of <paramref name="terms"/> (already analysed, lower-case; the store escapes them).</summary>
    Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The chunks with these ids that exist, in no particular order.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>The chunks of one symbol (several when it was split), in line order.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default);
}
