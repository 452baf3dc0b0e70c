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
    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _gate.Dispose();
    }
}
