using System.Net;
using CodeGraphRag.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>Composes the embedded default: an in-process silo on loopback with the embedded stores.</summary>
public static class EmbeddedHostBuilderExtensions
{
    /// <summary>
    /// Adds the whole product on one machine: parsing, secret redaction, ONNX embeddings, the embedded stores in
    /// <see cref="EmbeddedHostSettings.DataDirectory"/>, and an Orleans silo with localhost clustering on free ports
    /// (so concurrent processes never collide) whose grain state lives in the embedded store.
    /// </summary>
    public static IHostApplicationBuilder AddCodeGraphRagEmbedded(this IHostApplicationBuilder builder, EmbeddedHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        builder.Services.AddCodeGraphRagServices(settings);
        var (siloPort, gatewayPort) = FreePorts.Pick();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: Constants.EmbeddedServiceId,
                clusterId: "cgr-" + Guid.NewGuid().ToString("N")[..12]);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
            silo.AddCodeGraphRagSiloDefaults();
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>Registers the ports and pipeline services without Orleans (used by hosts and tests).</summary>
    public static IServiceCollection AddCodeGraphRagServices(this IServiceCollection services, EmbeddedHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddCodeGraphRagParsing();
        // Prepared (compiled) embedding models are kept beside the stores, so later starts load them without compiling.
        services.AddCodeGraphRagEmbeddings(o => o.PreparedModelDirectory ??= Path.Combine(settings.DataDirectory, "models"));
        services.AddCodeGraphRagEmbeddedStorage(o =>
        {
            o.DataDirectory = settings.DataDirectory;
            o.ReadOnly = settings.ReadOnly;
        });
        // The store searches the vector space of the configured model; the model id is known without loading it.
        services.AddOptions<CodeGraphRag.Storage.Embedded.EmbeddedStorageOptions>()
            .Configure<CodeGraphRag.Abstractions.Embeddings.IEmbedder>((o, embedder) =>
            {
                o.ModelId = embedder.Model.Id;
                o.Dimensions = embedder.Model.Dimensions;
            });
        services.AddCodeGraphRagGrains();
        services.AddHostedService<DenseIndexKeeper>();
        return services;
    }
}
