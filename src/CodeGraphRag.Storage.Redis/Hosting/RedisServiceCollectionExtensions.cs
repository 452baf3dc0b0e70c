using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Storage.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis parts of a cluster.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="RedisEmbeddingCache"/> singleton as <see cref="IEmbeddingCache"/>, over one shared
    /// <see cref="IConnectionMultiplexer"/>, with <see cref="RedisOptions"/> bound from the <c>CodeGraphRag:Storage:Redis</c>
    /// section of <paramref name="configuration"/> (ConnectionString, KeyPrefix, EmbeddingTimeToLive), validated on start.
    /// </summary>
    /// <remarks>
    /// Uses TryAdd, so earlier registrations win: call this before a backend that also registers <see cref="IEmbeddingCache"/>
    /// (the embedded store) to replace that backend's cache. The multiplexer connects when first resolved and keeps
    /// retrying in the background while Redis is unreachable (<c>abortConnect=false</c>).
    /// </remarks>
    /// <exception cref="OptionsValidationException">On start or first use, when the options are invalid; every bad key is listed.</exception>
    public static IServiceCollection AddCodeGraphRagRedisEmbeddingCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddCore(builder => builder.Bind(configuration.GetSection(RedisOptions.SectionName)));
    }

    /// <summary>
    /// Registers the cache like <see cref="AddCodeGraphRagRedisEmbeddingCache(IServiceCollection, IConfiguration)"/>, with
    /// options bound from the <c>CodeGraphRag:Storage:Redis</c> section of the registered <see cref="IConfiguration"/> when
    /// there is one, then <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">On start or first use, when the options are invalid; every bad key is listed.</exception>
    public static IServiceCollection AddCodeGraphRagRedisEmbeddingCache(this IServiceCollection services, Action<RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(builder =>
        {
            builder.Configure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService<IConfiguration>() is { } configuration)
                {
                    configuration.GetSection(RedisOptions.SectionName).Bind(options);
                }
            });
            builder.Configure(configure);
        });
    }

    private static IServiceCollection AddCore(this IServiceCollection services, Action<OptionsBuilder<RedisOptions>> configure)
    {
        var builder = services.AddOptions<RedisOptions>();
        configure(builder);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var config = ConfigurationOptions.Parse(options.ConnectionString!);
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.TryAddSingleton(sp => new RedisEmbeddingCache(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value));
        services.TryAddSingleton<IEmbeddingCache>(sp => sp.GetRequiredService<RedisEmbeddingCache>());
        return services;
    }
}
