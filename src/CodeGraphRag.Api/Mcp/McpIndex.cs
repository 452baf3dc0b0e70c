using CodeGraphRag.Api.Auth;

namespace CodeGraphRag.Api.Mcp;

/// <summary>Where the MCP tools read the index from, for the caller of the current request.</summary>
/// <remarks>
/// <c>cgr mcp</c> opens the embedded stores on the first tool call (an agent starts the server before anything may be
/// indexed, and <c>initialize</c> must answer at once); a server host answers with its own services and the request's caller.
/// </remarks>
public interface IMcpIndex
{
    /// <summary>The index as the current caller sees it.</summary>
    /// <exception cref="ModelContextProtocol.McpException">The index cannot be opened (one line the agent can act on).</exception>
    ValueTask<McpIndexView> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Who is calling, for audit lines (known before the index is opened).</summary>
    string Principal { get; }

    /// <summary>
    /// For an administrator (checked here): registers <see cref="McpSyncRequest.Source"/> when given, then syncs the repository
    /// to the end, reporting each change of progress. Works before anything is indexed.
    /// </summary>
    /// <exception cref="ModelContextProtocol.McpException">The caller is no administrator, or the request cannot run here (one line).</exception>
    Task<McpSyncResult> SyncAsync(McpSyncRequest request, IProgress<Abstractions.Grains.SyncProgress> progress, CancellationToken cancellationToken);
}

/// <summary>How a sync that <see cref="IMcpIndex.SyncAsync"/> ran ended.</summary>
/// <param name="Repository">The repository's name.</param>
/// <param name="Finished">Its final progress.</param>
public sealed record McpSyncResult(string Repository, Abstractions.Grains.SyncProgress Finished);

/// <summary>What <c>index_repository</c> and <c>sync_repository</c> ask for.</summary>
/// <param name="Repository">The registered repository to sync (sync_repository), or null.</param>
/// <param name="Source">A folder or git URL to register and sync (index_repository), or null.</param>
/// <param name="Name">The name to register the source under (null: its folder's or URL's name).</param>
/// <param name="Branch">The branch of a git URL.</param>
/// <param name="ReadGroups">Groups that may read it (servers only).</param>
/// <param name="Revision">A commit or ref to index instead of the branch head.</param>
public sealed record McpSyncRequest(string? Repository, string? Source, string? Name, string? Branch, IReadOnlyList<string> ReadGroups, string? Revision);

/// <summary>The services the tools call (grains, catalog, graph, search options) and who is calling.</summary>
public sealed class McpIndexView
{
    internal McpIndexView(IServiceProvider services, Caller caller)
    {
        Services = services;
        Caller = caller;
    }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services { get; }

    internal Caller Caller { get; }

    /// <summary>The one line a caller who is not an administrator gets from the admin tools.</summary>
    public const string AdminRequired = "indexing and syncing repositories needs the admin group";

    /// <summary>The local user of an embedded index: reads every repository (the data directory's owner).</summary>
    public static McpIndexView Local(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new McpIndexView(services, Caller.Anonymous);
    }
}
