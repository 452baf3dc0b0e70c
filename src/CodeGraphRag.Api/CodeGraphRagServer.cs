using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Mcp;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Api.Services;
using CodeGraphRag.Api.Telemetry;
using CodeGraphRag.Api.Web;
using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeGraphRag.Api;

/// <summary>
/// The CodeGraphRag server: one ASP.NET Core host that is an Orleans silo, serves the codegraphrag.v1 gRPC API (with
/// gRPC health and reflection) on <c>CodeGraphRag:Server:GrpcPort</c>, and the same API as HTTP/JSON, MCP, the search page, health endpoints and webhooks on
/// <c>CodeGraphRag:Server:HttpPort</c>. The host itself (options, listeners, stores, silo, health, telemetry) is composed by
/// CodeGraphRag.Hosting; this adds the API. <c>CodeGraphRag.Server</c>, <c>cgr serve</c> and tests host it through these methods.
/// </summary>
public static class CodeGraphRagServer
{
    /// <summary>Where MCP clients connect (streamable HTTP) on the HTTP port.</summary>
    public const string McpPath = "/mcp";

    /// <summary>
    /// A builder with the default configuration sources (appsettings.json, environment variables, then
    /// <paramref name="args"/>, e.g. <c>--CodeGraphRag:Server:GrpcPort=0</c>) and every server service registered.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid (the message names every bad key).</exception>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureServices(builder);
        return builder;
    }

    /// <summary>
    /// Registers the server on a builder whose configuration is complete: the host of CodeGraphRag.Hosting (validated
    /// options, Kestrel's two listeners, the stores, the silo, health checks, OpenTelemetry), then gRPC, authentication,
    /// audit, the query log and webhooks.
    /// </summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid (the message names every bad key).</exception>
    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ServerHost.Add(builder);
        var services = builder.Services;
        // CGR: every RPC also as HTTP/JSON at its google.api.http route (same service code, auth, ACLs and audit).
        services.AddGrpc(o => o.EnableDetailedErrors = false)
            .AddJsonTranscoding()
            // CGR: on the API service only: gRPC health and reflection stay unauthenticated and unaudited.
            .AddServiceOptions<CodeGraphRagService>(o => o.Interceptors.Add<ApiCallInterceptor>());
        services.AddGrpcReflection();
        services.AddServerAuthentication(settings);
        services.AddSingleton<ServerTelemetry>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RepositorySources>();
        services.AddSingleton<RepositorySyncs>();
        services.AddSingleton<RepositoryRegistration>();
        services.AddSingleton<QueryLogStore>();
        services.TryAddSingleton<IWebhookSyncRunner, GrainWebhookSyncRunner>();
        services.AddSingleton<WebhookSyncScheduler>();
        services.AddHttpContextAccessor();
        services.AddSingleton<IMcpIndex, ServerMcpIndex>();
        services.AddMcpServer(o =>
            {
                o.ServerInfo = CodeGraphRagMcpServerBuilderExtensions.ServerInfo;
                o.ServerInstructions = CodeGraphRagMcpServerBuilderExtensions.Instructions;
            })
            // CGR: stateless, so any silo behind a load balancer answers any request (no session affinity).
            .WithHttpTransport(o => o.Stateless = true)
            .WithCodeGraphRagTools();
        if (settings.AuthMode != AuthModes.None)
        {
            services.AddAuthorization();
        }
    }

    /// <summary>Builds the application and maps every endpoint (<see cref="Map"/>).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        Map(app);
        return app;
    }

    /// <summary>
    /// Maps the gRPC service (also as HTTP/JSON at <c>/v1/...</c>, gRPC JSON transcoding), gRPC health and reflection, MCP
    /// at <c>/mcp</c> (streamable HTTP; authenticated like gRPC when authentication is on), the search page at <c>/</c>,
    /// <c>/health/{startup,ready,live}</c> and the webhooks.
    /// </summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<ServerOptions>();
        if (settings.AuthMode != AuthModes.None)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapGrpcService<CodeGraphRagService>();
        app.MapGrpcReflectionService();
        var mcp = app.MapMcp(McpPath);
        if (settings.AuthMode != AuthModes.None)
        {
            // CGR: the same API keys and JWTs as gRPC; without them 401 before any MCP message is read.
            mcp.RequireAuthorization();
        }

        WebhookEndpoints.Map(app);
        SearchPage.Map(app);
        ServerHost.Map(app);
    }

    /// <summary>The bound endpoints of a started server (ports chosen by the OS when configured as 0).</summary>
    /// <exception cref="InvalidOperationException">The server has not started.</exception>
    public static ServerEndpoints GetEndpoints(WebApplication app) => ServerHost.GetEndpoints(app);

    /// <summary>Runs the server until shutdown (Ctrl-C, SIGTERM); returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) => RunAsync(args, null, cancellationToken);

    /// <summary>Runs the server until shutdown (Ctrl-C, SIGTERM); returns the process exit code.</summary>
    /// <param name="args">Configuration in the host's syntax.</param>
    /// <param name="configureServices">Changes to the registered services before the host is built (e.g. synthetic document vectors for benchmarks).</param>
    /// <param name="cancellationToken">Stops the server.</param>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        try
        {
            var builder = CreateBuilder(args);
            configureServices?.Invoke(builder.Services);
            app = Build(builder);
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
}
