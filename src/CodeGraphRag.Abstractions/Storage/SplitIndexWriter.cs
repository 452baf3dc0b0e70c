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
        await chunks.ReplaceFileChunksAsync(update.File.Repository, update.File.Path, update.Chunks, update.Vectors, cancellationToken).ConfigureAwait(false);
        await graph.ApplyFileAsync(update.File, update.Graph, cancellationToken).ConfigureAwait(false);
    }

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
