using CodeGraphRag.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Hosting.Server;

/// <summary>The one line a started server logs about its exposure: where it listens, who may call it, which server folders it may index.</summary>
internal static partial class StartupBanner
{
    public static void Register(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ServerOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CodeGraphRag.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var endpoints = ServerHost.GetEndpoints(app);
            var bind = settings.BindAddress?.ToString() ?? "* (every interface)";
            var auth = settings.AuthMode == AuthModes.None
                ? settings.AllowAnonymous ? "None (anonymous callers allowed by CodeGraphRag:Auth:AllowAnonymous)" : "None (loopback only)"
                : settings.AuthMode.ToString();
            var roots = settings.AllowedRoots.Count == 0 ? "none (git URLs only)" : string.Join(", ", settings.AllowedRoots);
            LogStarted(logger, bind, endpoints.Grpc.Port, endpoints.Http.Port, auth, roots);
        });
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Listening on {BindAddress} (gRPC port {GrpcPort}, HTTP port {HttpPort}); authentication: {AuthMode}; server paths allowed under: {AllowedRoots}")]
    private static partial void LogStarted(ILogger logger, string bindAddress, int grpcPort, int httpPort, string authMode, string allowedRoots);
}
