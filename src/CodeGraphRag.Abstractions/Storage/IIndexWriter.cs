namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The write side of the index: per-file atomic updates and removals across every store.</summary>
/// <remarks>All methods are idempotent: retrying any of them after a failure or crash converges to the same state.</remarks>
public interface IIndexWriter
{
    /// <summary>Chunk id to embedding key for the file's stored chunks that have a vector of the current model.</summary>
    Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default);

    /// <summary>Replaces the file's chunks, vectors, lexical docs, symbols, references and manifest entry, atomically where the backend allows (the manifest entry last otherwise).</summary>
    Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when <see cref="FileUpdate.VectorsFollow"/> is honoured: a file's chunks can be written before their vectors,
    /// and the methods below find and complete them. False: every update must carry its vectors.
    /// </summary>
    bool SupportsPendingVectors { get; }

    /// <summary>
    /// Up to <paramref name="limit"/> of the repository's chunks that are stored without a vector of the current model
    /// (written with <see cref="FileUpdate.VectorsFollow"/>), oldest first. Empty when none await.
    /// </summary>
    Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many of the repository's chunks await a vector.</summary>
    Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores vectors for chunks that await them. A chunk that was deleted, or whose embedding key differs from the one the
    /// vector was computed for (the file changed meanwhile), is left alone. Returns how many vectors were stored.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend stores no chunk without its vector (<see cref="SupportsPendingVectors"/> is false).</exception>
    Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default);

    /// <summary>Deletes the files from every store, manifest entries last.</summary>
    Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default);

    /// <summary>Deletes the repository and everything stored for it.</summary>
    Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default);
}
