using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Mcp;
using CodeGraphRag.Cli.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr mcp [--data-dir dir]</c>: an MCP server over stdio on the embedded index, the command an agent's configuration
/// launches. JSON-RPC on stdout, logs on stderr; it exits when the client closes stdin.
/// </summary>
internal static class McpCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        EmbeddedSession.ConfigureLogging(builder.Logging, args.Flag("verbose"));
        if (!args.Flag("verbose"))
        {
            // CGR: the SDK logs every tool error as an unhandled exception, an unknown repository included; the client gets
            // the one line already, and the tools log their own failures. --verbose shows the SDK's log.
            builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Critical);
        }

        builder.Services.AddSingleton<IMcpIndex>(new EmbeddedMcpIndex(args));
        builder.Services
            .AddMcpServer(o =>
            {
                o.ServerInfo = CodeGraphRagMcpServerBuilderExtensions.ServerInfo;
                o.ServerInstructions = CodeGraphRagMcpServerBuilderExtensions.Instructions;
            })
            .WithStdioServerTransport()
            .WithCodeGraphRagTools();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return 0;
    }
}

/// <summary>
/// The embedded index, opened read-only on the first tool call and kept open (it follows a concurrent <c>cgr index</c>).
/// Opening fails as a tool error while nothing is indexed, and is tried again on the next call.
/// </summary>
internal sealed class EmbeddedMcpIndex(ParsedArgs args) : IMcpIndex, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EmbeddedSession? _session;
    private McpIndexView? _view;

    /// <inheritdoc/>
    public string Principal => Environment.UserName;

    /// <inheritdoc/>
    public async ValueTask<McpIndexView> OpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _view) is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_view is null)
            {
                try
                {
                    _session = await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken);
                }
                catch (CliException ex)
                {
                    throw new McpException(ex.Message, ex);
                }

                Volatile.Write(ref _view, McpIndexView.Local(_session.Services));
            }

            return _view;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Indexes in this process like <c>cgr index</c>: a writing session on the same data directory for the length of the sync,
    /// so it takes the writer lock (a running <c>cgr index</c> makes this a tool error) while searches go on.
    /// </remarks>
    public async Task<McpSyncResult> SyncAsync(McpSyncRequest request, IProgress<SyncProgress> progress, CancellationToken cancellationToken)
    {
        if (request.ReadGroups.Count > 0 || request.Branch is not null)
        {
            throw new McpException("readGroups and branch apply on a server (cgr serve); the local index has no groups and reads folders");
        }

        string? source = null;
        if (request.Source is { } requested)
        {
            if (!Directory.Exists(requested) && CodeGraphRag.Sources.GitUrls.IsValid(requested))
            {
                throw new McpException("cgr mcp indexes folders on this machine; clone the repository first, or register git URLs on a server (cgr serve)");
            }

            source = Path.GetFullPath(requested);
            if (!Directory.Exists(source))
            {
                throw new McpException($"cannot index '{source}': no such directory");
            }
        }

        EmbeddedSession writer;
        try
        {
            writer = await EmbeddedSession.StartAsync(args, readOnly: false, cancellationToken);
        }
        catch (CliException ex)
        {
            throw new McpException(ex.Message, ex);
        }

        await using (writer)
        {
            var catalog = writer.Services.GetRequiredService<IRepositoryCatalog>();
            string name;
            if (source is null)
            {
                name = request.Repository!;
                source = (await catalog.GetRepositoryAsync(name, cancellationToken))?.Source ?? throw new McpException($"unknown repository '{name}'");
            }
            else
            {
                try
                {
                    name = await IndexCommand.NameForAsync(catalog, source, request.Name, replace: false, cancellationToken);
                }
                catch (CliException ex)
                {
                    throw new McpException(ex.Message, ex);
                }
            }

            SyncProgress? reported = null;
            void Report(SyncProgress state)
            {
                if (state != reported)
                {
                    reported = state;
                    progress.Report(state);
                }
            }

            var grain = writer.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name));
            var state = await IndexCommand.FollowSyncAsync(grain, new SyncRequest(source, request.Revision), Report, cancellationToken);
            Report(state);
            return new McpSyncResult(name, state);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _gate.Dispose();
    }
}
