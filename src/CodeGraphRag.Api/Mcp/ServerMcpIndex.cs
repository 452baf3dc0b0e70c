using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Api.Services;
using ModelContextProtocol;

namespace CodeGraphRag.Api.Mcp;

/// <summary>The server's index for MCP over HTTP: its own services, read as the authenticated caller of the request.</summary>
internal sealed class ServerMcpIndex(
    IServiceProvider services, IHttpContextAccessor http, CallerResolver callers, IRepositoryCatalog catalog, RepositoryRegistration registration,
    RepositorySyncs syncs) : IMcpIndex
{
    private static readonly RegistrationFields Fields = new("source", "source", "source", "name", "branch", "readGroups");

    /// <inheritdoc/>
    public string Principal => http.HttpContext is { } context && callers.TryResolve(context) is { } caller ? caller.Principal : "unauthenticated";

    /// <inheritdoc/>
    public ValueTask<McpIndexView> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new McpIndexView(services, Caller()));

    /// <inheritdoc/>
    /// <remarks>The rules of the RegisterRepository and Sync RPCs: server folders only under the allowed roots, checked again on every sync.</remarks>
    public async Task<McpSyncResult> SyncAsync(McpSyncRequest request, IProgress<SyncProgress> progress, CancellationToken cancellationToken)
    {
        var caller = Caller();
        if (!caller.IsAdmin)
        {
            throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.PermissionDenied, McpIndexView.AdminRequired));
        }

        RepositoryInfo info;
        if (request.Source is { } source)
        {
            var local = Path.IsPathFullyQualified(source);
            (info, _) = await registration.RegisterAsync(local ? source : null, local ? null : source, request.Name, request.Branch, request.ReadGroups,
                Fields, cancellationToken);
        }
        else
        {
            var name = RequestLimits.RepositoryName(request.Repository, "repo");
            info = await catalog.GetRepositoryAsync(name, cancellationToken) ?? throw RequestLimits.NotFound($"unknown repository '{name}'");
            if (!RepositorySyncs.IsGitSource(info.Source))
            {
                registration.AllowedServerPath(info.Source, "repo");
            }
        }

        var revision = RequestLimits.Optional(request.Revision, 256, "revision");
        var syncRequest = await syncs.RequestForAsync(info, revision, cancellationToken);
        SyncProgress? last = null;
        await foreach (var update in syncs.FollowAsync(info.Name, syncRequest, cancellationToken))
        {
            last = update;
            progress.Report(update);
        }

        return new McpSyncResult(info.Name, last!);
    }

    private Caller Caller()
    {
        // CGR: /mcp requires an authenticated user when authentication is on, so a missing caller here is a wiring error.
        var context = http.HttpContext ?? throw new InvalidOperationException("an MCP tool ran outside an HTTP request");
        return callers.TryResolve(context) ?? throw new McpException("missing or invalid credentials");
    }
}
