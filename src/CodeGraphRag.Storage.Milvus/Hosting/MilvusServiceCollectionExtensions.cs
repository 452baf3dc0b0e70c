using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus;
using CodeGraphRag.Storage.Milvus.Internals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Milvus chunk index.</summary>
public static class MilvusServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MilvusChunkIndex"/> singleton as <see cref="IChunkIndex"/> and <see cref="IChunkStore"/>, with
    /// <see cref="MilvusOptions"/> bound from the <c>CodeGraphRag:Storage:Milvus</c> section of <paramref name="configuration"/>
    /// (the root configuration), validated on start.
    /// </summary>
    /// <remarks>
    /// Requests go through the named HTTP client <c>CodeGraphRag.Milvus</c> with a resilience handler (retries of transient
    /// failures, per-attempt timeout). Uses TryAdd, so earlier registrations of the ports win: call this before a backend
    /// that also registers <see cref="IChunkStore"/>.
    /// </remarks>
    public static IServiceCollection AddCodeGraphRagMilvus(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddCore(builder => builder.Bind(configuration.GetSection(MilvusOptions.SectionName)));
    }

    /// <summary>
    /// Registers the index like <see cref="AddCodeGraphRagMilvus(IServiceCollection, IConfiguration)"/>, with options bound from
    /// the <c>CodeGraphRag:Storage:Milvus</c> section of the registered <see cref="IConfiguration"/> when there is one, then
    /// <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddCodeGraphRagMilvus(this IServiceCollection services, Action<MilvusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(builder =>
        {
            builder.Configure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService<IConfiguration>() is { } configuration)
                {
                    configuration.GetSection(MilvusOptions.SectionName).Bind(options);
                }
            });
            builder.Configure(configure);
        });
    }

    private static IServiceCollection AddCore(this IServiceCollection services, Action<OptionsBuilder<MilvusOptions>> configure)
    {
        var builder = services.AddOptions<MilvusOptions>();
        configure(builder);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MilvusOptions>, MilvusOptionsValidator>());
        services.AddHttpClient(Constants.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(Constants.ResiliencePipelineName, (pipeline, context) =>
                MilvusResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<MilvusOptions>>().Value));
        services.TryAddSingleton(provider => new MilvusChunkIndex(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(Constants.HttpClientName),
            provider.GetRequiredService<IOptions<MilvusOptions>>().Value,
            provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<MilvusChunkIndex>>()));
        services.TryAddSingleton<IChunkIndex>(provider => provider.GetRequiredService<MilvusChunkIndex>());
        services.TryAddSingleton<IChunkStore>(provider => provider.GetRequiredService<MilvusChunkIndex>());
        return services;
    }
}
