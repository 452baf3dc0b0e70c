using System.Net;
using CodeGraphRag.Server.Api;
using CodeGraphRag.Server.Auth;
using CodeGraphRag.Server.Configuration;
using CodeGraphRag.Server.Hosting;
using CodeGraphRag.Server.QueryLog;
using CodeGraphRag.Server.Repositories;
using CodeGraphRag.Server.Telemetry;
using CodeGraphRag.Server.Webhooks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeGraphRag.Server;

/// <summary>
/// The CodeGraphRag server: one ASP.NET Core host that is an Orleans silo, serves the codegraphrag.v1 gRPC API (with
/// gRPC health and reflection) on <c>CodeGraphRag:Server:GrpcPort</c>, and health endpoints and webhooks on
/// <c>CodeGraphRag:Server:HttpPort</c>. <c>Program</c>, <c>cgr serve</c> and tests host it through these methods.
/// </summary>
public static class CodeGraphRagServer
{
    private const string StartupTag = "startup";
    private const string ReadyTag = "ready";
    private const string LiveTag = "live";

    /// <summary>
    /// A builder with the default configuration sources (appsettings.json, environment variables, then
    /// <paramref name="args"/>, e.g. <c>--CodeGraphRag:Server:GrpcPort=0</c>) and every server service registered.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid (the message names the key).</exception>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureServices(builder);
        return builder;
    }

    /// <summary>
    /// Registers the server on a builder whose configuration is complete: validates it, then adds Kestrel's two
    /// listeners, the silo, the stores, gRPC, authentication, health checks, webhooks and OpenTelemetry.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid (the message names the key).</exception>
    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ServerSettings.Load(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);

        var listeners = new ServerListeners();
        services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port, HttpProtocols protocols, Action<ListenOptions> keep)
            {
                if (settings.BindAddress is { } address)
                {
                    kestrel.Listen(address, port, o =>
                    {
                        o.Protocols = protocols;
                        keep(o);
                    });
                }
                else
                {
                    kestrel.ListenAnyIP(port, o =>
                    {
                        o.Protocols = protocols;
                        keep(o);
                    });
                }
            }

            Listen(settings.GrpcPort, HttpProtocols.Http2, o => listeners.Grpc = o);
            Listen(settings.HttpPort, HttpProtocols.Http1, o => listeners.Http = o);
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);

        ServerStores.Add(services, settings, builder.Configuration);
        services.AddCodeGraphRagStoreTracing();
        builder.UseOrleans(silo => ServerSilo.Configure(silo, settings));

        services.AddGrpc(o => o.EnableDetailedErrors = false);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(o =>
            {
                o.Services.Map(string.Empty, r => r.Tags.Contains(ReadyTag));
                o.Services.Map("codegraphrag.v1.CodeGraphRag", r => r.Tags.Contains(ReadyTag));
            })
            .AddCheck<StartupHealthCheck>("startup", tags: [StartupTag])
            .AddCheck<ReadinessHealthCheck>("ready", tags: [ReadyTag])
            .AddCheck("live", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), tags: [LiveTag]);

        services.AddServerAuthentication(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RepositorySources>();
        services.AddSingleton<RepositorySyncs>();
        services.AddSingleton<QueryLogStore>();
        services.TryAddSingleton<IWebhookSyncRunner, GrainWebhookSyncRunner>();
        services.AddSingleton<WebhookSyncScheduler>();
        services.AddServerTelemetry(builder.Configuration);
    }

    /// <summary>Builds the application and maps every endpoint (<see cref="Map"/>).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        Map(app);
        return app;
    }

    /// <summary>Maps the gRPC service, gRPC health and reflection, <c>/health/{startup,ready,live}</c> and the webhooks.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<ServerSettings>();
        if (settings.AuthMode != AuthModes.None)
        {
            app.UseAuthentication();
        }

        app.MapGrpcService<CodeGraphRagService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(StartupTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) });
        WebhookEndpoints.Map(app);
        StartupBanner.Register(app);
    }

    /// <summary>The bound endpoints of a started server (ports chosen by the OS when configured as 0).</summary>
    /// <exception cref="InvalidOperationException">The server has not started.</exception>
    public static ServerEndpoints GetEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listeners = app.Services.GetRequiredService<ServerListeners>();
        if (listeners.Grpc?.IPEndPoint is not { Port: > 0 } grpc || listeners.Http?.IPEndPoint is not { Port: > 0 } http)
        {
            throw new InvalidOperationException("The server has not started yet.");
        }

        return new ServerEndpoints(ToUri(grpc), ToUri(http));
    }

    /// <summary>Runs the server until shutdown (Ctrl-C, SIGTERM); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        try
        {
            app = Build(CreateBuilder(args));
        }
        catch (ServerConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("codegraphrag-server: configuration error: " + ex.Message);
            return 2;
        }

        await using (app)
        {
            await app.RunAsync(cancellationToken);
        }

        return 0;
    }

    private static Uri ToUri(IPEndPoint endpoint)
    {
        var address = endpoint.Address;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.Loopback;
        }

        return new UriBuilder("http", address.ToString(), endpoint.Port).Uri;
    }
}
