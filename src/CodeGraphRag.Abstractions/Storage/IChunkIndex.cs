namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// The chunk half of a split backend (Milvus): a file's chunks, vectors and lexical documents, with
/// <see cref="IChunkStore"/> as its read side. <see cref="SplitIndexWriter"/> pairs it with an <see cref="IGraphIndex"/>.
/// </summary>
/// <remarks>Every method is idempotent; retrying after a failure converges to the same state.</remarks>
public interface IChunkIndex : IChunkStore
{
    /// <summary>Chunk id to embedding key for the file's stored chunks.</summary>
    Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the file's stored chunks exactly <paramref name="chunks"/>: chunks not listed are deleted, listed ones are
    /// written with the vector from <paramref name="vectors"/> or, when absent there, keep the vector stored under their id.
    /// </summary>
    /// <exception cref="ArgumentException">A chunk has no vector given and none stored.</exception>
    Task ReplaceFileChunksAsync(
        string repository,
        string path,
        IReadOnlyList<ChunkRecord> chunks,
        IReadOnlyDictionary<string, float[]> vectors,
        CancellationToken cancellationToken = default);

    /// <summary>See <see cref="IIndexWriter.SupportsPendingVectors"/>.</summary>
    bool SupportsPendingVectors { get; }

    /// <summary>
    /// Like <see cref="ReplaceFileChunksAsync"/>, except that a chunk with neither a vector given nor a stored one of its
    /// embedding key is written without a vector (see <see cref="FileUpdate.VectorsFollow"/>).
    /// </summary>
    /// <exception cref="NotSupportedException"><see cref="SupportsPendingVectors"/> is false.</exception>
    Task ReplaceFileChunksVectorsFollowAsync(
        string repository,
        string path,
        IReadOnlyList<ChunkRecord> chunks,
        IReadOnlyDictionary<string, float[]> vectors,
        CancellationToken cancellationToken = default);

    /// <summary>See <see cref="IIndexWriter.GetChunksAwaitingVectorsAsync"/>.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default);

    /// <summary>See <see cref="IIndexWriter.CountChunksAwaitingVectorsAsync"/>.</summary>
    Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>See <see cref="IIndexWriter.SetVectorsAsync"/>.</summary>
    Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default);

    /// <summary>Deletes every chunk of these files.</summary>
    Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default);

    /// <summary>Deletes every chunk of the repository.</summary>
    Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default);
}
