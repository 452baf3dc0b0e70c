using System.Net;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Hosting.Health;
using CodeGraphRag.Hosting.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Hosting.Server;

/// <summary>
/// The composition every server host shares (<c>CodeGraphRag.Server</c>, <c>cgr serve</c>, tests): validated options,
/// Kestrel's gRPC and HTTP listeners, the stores the configuration picks, the Orleans silo, health checks and
/// OpenTelemetry. The API on top (gRPC service, authentication, webhooks) is the caller's.
/// </summary>
internal static class ServerHost
{
    private const string StartupTag = "startup";
    private const string ReadyTag = "ready";
    private const string LiveTag = "live";

    /// <summary>
    /// Validates the configuration (every failure at once), then adds the listeners, stores, silo, health checks and
    /// telemetry to <paramref name="builder"/>; returns the options, also registered as a singleton.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid (the message names every bad key).</exception>
    public static ServerOptions Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ServerOptions.Load(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(Options.Create(options));

        var listeners = new ServerListeners();
        services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port, HttpProtocols protocols, Action<ListenOptions> keep)
            {
                if (options.BindAddress is { } address)
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

            Listen(options.GrpcPort, HttpProtocols.Http2, o => listeners.Grpc = o);
            Listen(options.HttpPort, HttpProtocols.Http1, o => listeners.Http = o);
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);

        ServerStores.Add(services, options, builder.Configuration);
        services.AddCodeGraphRagStoreTracing();
        builder.UseOrleans(silo => ServerSilo.Configure(silo, options));

        services.AddGrpcHealthChecks(o =>
            {
                o.Services.Map(string.Empty, r => r.Tags.Contains(ReadyTag));
                o.Services.Map("codegraphrag.v1.CodeGraphRag", r => r.Tags.Contains(ReadyTag));
            })
            .AddCheck<StartupHealthCheck>("startup", tags: [StartupTag])
            .AddCheck<ReadinessHealthCheck>("ready", tags: [ReadyTag])
            .AddCheck("live", () => HealthCheckResult.Healthy(), tags: [LiveTag]);

        services.TryAddSingleton(TimeProvider.System);
        services.AddServerOpenTelemetry(builder.Configuration);
        return options;
    }

    /// <summary>Maps gRPC health, <c>/health/{startup,ready,live}</c> and the startup banner.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(StartupTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) });
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
