namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// The catalog of a split backend: repositories, manifests and counts from the graph half, with the chunks that await
/// their vectors counted where the chunks live (the graph half never sees vectors).
/// </summary>
public sealed class SplitRepositoryCatalog(IRepositoryCatalog graph, IChunkIndex chunks) : IRepositoryCatalog
{
    /// <inheritdoc/>
    public Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) =>
        graph.GetRepositoryAsync(name, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) =>
        graph.ListRepositoriesAsync(cancellationToken);

    /// <inheritdoc/>
    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) =>
        graph.UpsertRepositoryAsync(repository, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default) =>
        graph.GetManifestAsync(repository, cancellationToken);

    /// <inheritdoc/>
    public Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        graph.GetFileAsync(repository, path, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The graph half's counts, with <see cref="RepositoryStats.ChunksAwaitingVectors"/> from the chunk half.</remarks>
    public async Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default)
    {
        var stats = await graph.GetStatsAsync(repository, cancellationToken).ConfigureAwait(false);
        if (!chunks.SupportsPendingVectors)
        {
            return stats;
        }

        var awaiting = await chunks.CountChunksAwaitingVectorsAsync(repository, cancellationToken).ConfigureAwait(false);
        return stats with { ChunksAwaitingVectors = awaiting };
    }
}
