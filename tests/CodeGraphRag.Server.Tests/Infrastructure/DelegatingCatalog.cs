using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>A catalog that passes every call to the real one; tests override the call they interfere with.</summary>
internal abstract class DelegatingCatalog(IRepositoryCatalog inner) : IRepositoryCatalog
{
    public virtual Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) => inner.ListRepositoriesAsync(cancellationToken);

    public Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) => inner.GetRepositoryAsync(name, cancellationToken);

    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) => inner.UpsertRepositoryAsync(repository, cancellationToken);

    public Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default) => inner.GetManifestAsync(repository, cancellationToken);

    public Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) => inner.GetFileAsync(repository, path, cancellationToken);

    public Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default) => inner.GetStatsAsync(repository, cancellationToken);
}
