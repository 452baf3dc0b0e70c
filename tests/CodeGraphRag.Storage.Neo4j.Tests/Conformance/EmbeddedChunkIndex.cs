using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;

namespace CodeGraphRag.Storage.Neo4j.Tests.Conformance;

/// <summary>
/// Makes an <see cref="EmbeddedStore"/> act as the chunk half of a split backend, so the conformance suites can pair it
/// with <see cref="Neo4jGraphIndex"/> through <see cref="SplitIndexWriter"/>. The embedded store's own manifest entry is a
/// by-product nobody reads here; the catalog under test is Neo4j's.
/// </summary>
internal sealed class EmbeddedChunkIndex(EmbeddedStore store) : IChunkIndex
{
    public Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        store.SearchDenseAsync(query, k, filter, cancellationToken);

    public Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        store.SearchLexicalAsync(terms, k, filter, cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        store.GetChunksAsync(ids, cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default) =>
        store.GetSymbolChunksAsync(repository, path, symbolPath, cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
        IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default) =>
        store.GetMentionedFilesChunksAsync(paths, repositories, maxFilesPerPath, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        store.GetEmbeddingKeysAsync(repository, path, cancellationToken);

    public Task ReplaceFileChunksAsync(
        string repository, string path, IReadOnlyList<ChunkRecord> chunks, IReadOnlyDictionary<string, float[]> vectors, CancellationToken cancellationToken = default) =>
        store.ApplyFileAsync(ChunksOnly(repository, path, chunks, vectors, vectorsFollow: false), cancellationToken);

    public bool SupportsPendingVectors => store.SupportsPendingVectors;

    public Task ReplaceFileChunksVectorsFollowAsync(
        string repository, string path, IReadOnlyList<ChunkRecord> chunks, IReadOnlyDictionary<string, float[]> vectors, CancellationToken cancellationToken = default) =>
        store.ApplyFileAsync(ChunksOnly(repository, path, chunks, vectors, vectorsFollow: true), cancellationToken);

    public Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default) =>
        store.GetChunksAwaitingVectorsAsync(repository, limit, cancellationToken);

    public Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default) =>
        store.CountChunksAwaitingVectorsAsync(repository, cancellationToken);

    public Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default) =>
        store.SetVectorsAsync(repository, vectors, cancellationToken);

    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) =>
        store.RemoveFilesAsync(repository, paths, cancellationToken);

    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default) =>
        store.RemoveRepositoryAsync(repository, cancellationToken);

    private static FileUpdate ChunksOnly(string repository, string path, IReadOnlyList<ChunkRecord> chunks, IReadOnlyDictionary<string, float[]> vectors, bool vectorsFollow)
    {
        var record = new FileRecord(repository, path, chunks.Count > 0 ? chunks[0].Language : null, string.Empty, 0, "chunk-half", FileStatus.Indexed, null, chunks.Count);
        return new FileUpdate(record, chunks, vectors, FileGraph.Empty, vectorsFollow);
    }
}
