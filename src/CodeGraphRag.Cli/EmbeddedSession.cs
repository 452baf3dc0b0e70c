using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Cli;

/// <summary>An in-process silo on the embedded stores for the lifetime of one command.</summary>
internal sealed class EmbeddedSession : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedSession(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
    }

    /// <summary>The data directory in use.</summary>
    public string DataDirectory { get; }

    /// <summary>The in-process cluster client.</summary>
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The host's services (ports, options).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the silo. <paramref name="readOnly"/> sessions do not take the writer lock; <paramref name="configureServices"/>
    /// runs after the product's registrations (the benchmark replaces the document embedder there).
    /// </summary>
    public static async Task<EmbeddedSession> StartAsync(
        ParsedArgs args, bool readOnly, CancellationToken cancellationToken, Action<IServiceCollection>? configureServices = null)
    {
        var host = Build(args, readOnly, out var dataDirectory, configureServices);
        try
        {
            // CGR: open the store before the silo starts, so a damaged database fails here as one line, not as a silo
            // start-up failure that the host logs with its stack trace.
            host.Services.GetRequiredService<CodeGraphRag.Storage.Embedded.EmbeddedStore>();
            await host.StartAsync(cancellationToken);
        }
        catch (Exception)
        {
            host.Dispose();
            throw;
        }

        return new EmbeddedSession(host, dataDirectory);
    }

    /// <summary>The embedded store's options as a session would configure them (configuration, model id), without opening it.</summary>
    public static CodeGraphRag.Storage.Embedded.EmbeddedStorageOptions StorageOptions(ParsedArgs args)
    {
        using var host = Build(args, readOnly: false, out _, null);
        return host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CodeGraphRag.Storage.Embedded.EmbeddedStorageOptions>>().Value;
    }

    private static IHost Build(ParsedArgs args, bool readOnly, out string dataDirectory, Action<IServiceCollection>? configureServices)
    {
        dataDirectory = CodeGraphRag.Hosting.DataDirectory.Resolve(args.Value("data-dir"));
        if (readOnly && !CodeGraphRag.Storage.Embedded.EmbeddedStore.IndexExists(dataDirectory))
        {
            throw new CliException($"no index in {dataDirectory}: run 'cgr index <path>' first (or pass --data-dir)");
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddEnvironmentVariables();
        ConfigureLogging(builder.Logging, args.Flag("verbose"));
        builder.AddCodeGraphRagEmbedded(new EmbeddedHostSettings(dataDirectory, readOnly));
        // The command owns Ctrl-C and SIGTERM (CliApp cancels its token); the default console lifetime would take them
        // and stop the silo under a running sync instead, while the sync kept running.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            _host.Dispose();
        }
    }

    /// <summary>Logs to stderr only: brief warnings, or everything from Information with <c>--verbose</c>.</summary>
    internal static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        // CGR: logs always go to stderr so --json output on stdout stays one clean document.
        if (verbose)
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            logging.AddConsole(o => o.FormatterName = Output.BriefConsoleFormatter.FormatterName)
                .AddConsoleFormatter<Output.BriefConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        }

        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        if (!verbose)
        {
            logging.AddFilter("Orleans", LogLevel.Error);
            logging.AddFilter("Microsoft", LogLevel.Error);
            // CGR: a one-shot command stops its in-process silo while cancellations of the calls it abandoned on exit may
            // still be queued; failing to deliver them to the stopping silo logs an error that is not the user's (seen
            // as a second stderr line after "unknown repository"). --verbose still shows it.
            logging.AddFilter("Orleans.Runtime.GrainCallCancellationManager", LogLevel.None);
        }
    }
}

/// <summary>A host lifetime that leaves process signals to the command (see <see cref="CliApp"/>).</summary>
internal sealed class CommandLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
