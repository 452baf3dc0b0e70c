using CodeGraphRag.Api.Auth;
using ModelContextProtocol;

namespace CodeGraphRag.Api.Mcp;

/// <summary>The server's index for MCP over HTTP: its own services, read as the authenticated caller of the request.</summary>
internal sealed class ServerMcpIndex(IServiceProvider services, IHttpContextAccessor http, CallerResolver callers) : IMcpIndex
{
    /// <inheritdoc/>
    public ValueTask<McpIndexView> OpenAsync(CancellationToken cancellationToken)
    {
        // CGR: /mcp requires an authenticated user when authentication is on, so a missing caller here is a wiring error.
        var context = http.HttpContext ?? throw new InvalidOperationException("an MCP tool ran outside an HTTP request");
        var caller = callers.TryResolve(context) ?? throw new McpException("missing or invalid credentials");
        return ValueTask.FromResult(new McpIndexView(services, caller));
    }
}
