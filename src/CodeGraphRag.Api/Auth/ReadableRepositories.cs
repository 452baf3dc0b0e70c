using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Api.Auth;

/// <summary>The repositories one caller may read, computed per request from the catalog and the repositories' ACLs.</summary>
internal sealed class ReadableRepositories
{
    private readonly Dictionary<string, RepositoryInfo> _readable;

    private ReadableRepositories(Dictionary<string, RepositoryInfo> readable, bool everything, bool coversAll)
    {
        _readable = readable;
        Everything = everything;
        CoversAll = coversAll;
    }

    /// <summary>True when the caller may read every repository registered when the list was read (raw scores may be shown).</summary>
    public bool CoversAll { get; }

    /// <summary>True when the caller may read every repository, including ones registered after this list was read (admins).</summary>
    public bool Everything { get; }

    /// <summary>
    /// What to pass as <c>AllowedRepositories</c>/<c>NeighborQuery.Repositories</c>: null only for admins. Any other caller
    /// gets the explicit list even when it happens to cover every repository now, so a repository registered between this
    /// read and the query stays hidden, and scores stay rank-based.
    /// </summary>
    public IReadOnlyList<string>? Allowed => Everything ? null : [.. _readable.Keys];

    public IEnumerable<RepositoryInfo> All => _readable.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    public static async Task<ReadableRepositories> LoadAsync(IRepositoryCatalog catalog, Caller caller, CancellationToken cancellationToken)
    {
        var all = await catalog.ListRepositoriesAsync(cancellationToken);
        var readable = all.Where(r => caller.CanRead(r.ReadGroups)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        return new ReadableRepositories(readable, caller.IsAdmin, caller.IsAdmin || readable.Count == all.Count);
    }

    /// <summary>The repository, or null when it does not exist or the caller may not read it (callers cannot tell which).</summary>
    public RepositoryInfo? Find(string name) => _readable.GetValueOrDefault(name);
}
