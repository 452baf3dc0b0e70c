namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Repositories and their file manifests.</summary>
public interface IRepositoryCatalog
{
    /// <summary>The repository, or null when it is not registered.</summary>
    Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All registered repositories, by name.</summary>
    Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers or updates a repository.</summary>
    Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default);

    /// <summary>The manifest: every recorded file of the repository by path.</summary>
    Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default);

    /// <summary>One file's manifest entry, or null when the file is not recorded.</summary>
    Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default);

    /// <summary>Counts for status displays.</summary>
    Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default);
}
