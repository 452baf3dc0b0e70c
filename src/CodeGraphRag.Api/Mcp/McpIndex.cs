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
}

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

    /// <summary>The local user of an embedded index: reads every repository (the data directory's owner).</summary>
    public static McpIndexView Local(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new McpIndexView(services, Caller.Anonymous);
    }
}
