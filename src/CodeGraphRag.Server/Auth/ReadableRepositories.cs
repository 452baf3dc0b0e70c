using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Server.Auth;

/// <summary>The repositories one caller may read, computed per request from the catalog and the repositories' ACLs.</summary>
internal sealed class ReadableRepositories
{
    private readonly Dictionary<string, RepositoryInfo> _readable;

    private ReadableRepositories(Dictionary<string, RepositoryInfo> readable, bool everything)
    {
        _readable = readable;
        Everything = everything;
    }

    /// <summary>True when the caller may read every registered repository.</summary>
    public bool Everything { get; }

    /// <summary>What to pass as <c>AllowedRepositories</c>/<c>NeighborQuery.Repositories</c>: null only when the caller reads everything.</summary>
    public IReadOnlyList<string>? Allowed => Everything ? null : [.. _readable.Keys];

    public IEnumerable<RepositoryInfo> All => _readable.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    public static async Task<ReadableRepositories> LoadAsync(IRepositoryCatalog catalog, Caller caller, CancellationToken cancellationToken)
    {
        var all = await catalog.ListRepositoriesAsync(cancellationToken);
        var readable = all.Where(r => caller.CanRead(r.ReadGroups)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        return new ReadableRepositories(readable, readable.Count == all.Count);
    }

    /// <summary>The repository, or null when it does not exist or the caller may not read it (callers cannot tell which).</summary>
    public RepositoryInfo? Find(string name) => _readable.GetValueOrDefault(name);
}
