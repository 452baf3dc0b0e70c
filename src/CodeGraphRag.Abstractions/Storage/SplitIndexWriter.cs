namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// The write side over two backends: chunks in an <see cref="IChunkIndex"/>, graph facts and the manifest in an
/// <see cref="IGraphIndex"/>. The manifest entry is written last, so a crash between the two leaves the file looking
/// unindexed (or stale) and the next sync redoes it; a removal deletes chunks before the manifest entry for the same reason.
/// </summary>
public sealed class SplitIndexWriter(IChunkIndex chunks, IGraphIndex graph) : IIndexWriter
{
    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        chunks.GetEmbeddingKeysAsync(repository, path, cancellationToken);

    /// <inheritdoc/>
    public async Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.VectorsFollow)
        {
            await chunks.ReplaceFileChunksVectorsFollowAsync(update.File.Repository, update.File.Path, update.Chunks, update.Vectors, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await chunks.ReplaceFileChunksAsync(update.File.Repository, update.File.Path, update.Chunks, update.Vectors, cancellationToken).ConfigureAwait(false);
        }

        await graph.ApplyFileAsync(update.File, update.Graph, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public bool SupportsPendingVectors => chunks.SupportsPendingVectors;

    /// <inheritdoc/>
    public Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default) =>
        chunks.GetChunksAwaitingVectorsAsync(repository, limit, cancellationToken);

    /// <inheritdoc/>
    public Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default) =>
        chunks.CountChunksAwaitingVectorsAsync(repository, cancellationToken);

    /// <inheritdoc/>
    public Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default) =>
        chunks.SetVectorsAsync(repository, vectors, cancellationToken);

    /// <inheritdoc/>
    public async Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        await chunks.RemoveFilesAsync(repository, paths, cancellationToken).ConfigureAwait(false);
        await graph.RemoveFilesAsync(repository, paths, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default)
    {
        await chunks.RemoveRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
        await graph.RemoveRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
    }
}
