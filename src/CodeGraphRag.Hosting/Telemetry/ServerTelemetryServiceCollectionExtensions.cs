using CodeGraphRag.Abstractions.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CodeGraphRag.Hosting.Telemetry;

/// <summary>OpenTelemetry for the server: traces and metrics, exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
internal static class ServerTelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddServerOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "codegraphrag"))
            .WithTracing(t => t
                .AddSource(CodeGraphRagTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddGrpcClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(CodeGraphRagTelemetry.Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return services;
    }
}
