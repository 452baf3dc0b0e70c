using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Hosting.Telemetry;

/// <summary>An <see cref="IChunkStore"/> whose calls are spans.</summary>
internal sealed class TracedChunkStore(IChunkStore inner, string backend) : IChunkStore
{
    public Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.search_dense", backend, () => inner.SearchDenseAsync(query, k, filter, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    public Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.search_lexical", backend, () => inner.SearchLexicalAsync(terms, k, filter, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    public Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_chunks", backend, () => inner.GetChunksAsync(ids, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    public Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_symbol_chunks", backend, () => inner.GetSymbolChunksAsync(repository, path, symbolPath, cancellationToken));

    public Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
        IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_mentioned_files_chunks", backend, () => inner.GetMentionedFilesChunksAsync(paths, repositories, maxFilesPerPath, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    // Forwarded explicitly: the interface's default would loop over GetSymbolChunksAsync and lose the store's batched query.
    public Task<IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>>> GetSymbolsChunksAsync(IReadOnlyCollection<SymbolKey> symbols, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_symbols_chunks", backend, () => inner.GetSymbolsChunksAsync(symbols, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));
}

/// <summary>An <see cref="ICodeGraphStore"/> whose calls are spans.</summary>
internal sealed class TracedCodeGraphStore(ICodeGraphStore inner, string backend) : ICodeGraphStore
{
    public Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_neighbors", backend, () => inner.GetNeighborsAsync(symbols, query, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    public Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.find_definitions", backend, () => inner.FindDefinitionsAsync(names, repositories, limitPerName, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));
}

/// <summary>An <see cref="IIndexWriter"/> whose calls are spans.</summary>
internal sealed class TracedIndexWriter(IIndexWriter inner, string backend) : IIndexWriter
{
    public Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_embedding_keys", backend, () => inner.GetEmbeddingKeysAsync(repository, path, cancellationToken));

    public Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.apply_file", backend, () => inner.ApplyFileAsync(update, cancellationToken));

    public bool SupportsPendingVectors => inner.SupportsPendingVectors;

    public Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.get_chunks_awaiting_vectors", backend, () => inner.GetChunksAwaitingVectorsAsync(repository, limit, cancellationToken), (a, r) => a.SetTag("cgr.results", r.Count));

    public Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.count_chunks_awaiting_vectors", backend, () => inner.CountChunksAwaitingVectorsAsync(repository, cancellationToken));

    public Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.set_vectors", backend, () => inner.SetVectorsAsync(repository, vectors, cancellationToken), (a, r) => a.SetTag("cgr.results", r));

    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.remove_files", backend, () => inner.RemoveFilesAsync(repository, paths, cancellationToken));

    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.store.remove_repository", backend, () => inner.RemoveRepositoryAsync(repository, cancellationToken));
}

/// <summary>An <see cref="IEmbeddingCache"/> whose calls are spans.</summary>
internal sealed class TracedEmbeddingCache(IEmbeddingCache inner, string backend) : IEmbeddingCache
{
    public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.cache.get", backend, () => inner.GetManyAsync(modelId, textHashes, cancellationToken), (a, r) => a.SetTag("cgr.hits", r.Count));

    public Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default) =>
        StoreTracing.TraceAsync("cgr.cache.put", backend, () => inner.PutManyAsync(modelId, entries, cancellationToken));
}
