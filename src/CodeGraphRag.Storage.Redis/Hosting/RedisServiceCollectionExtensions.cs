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
    /// Binds <see cref="RedisOptions"/> from <c>CodeGraphRag:Storage:Redis</c>, connects one shared multiplexer and makes
    /// <see cref="RedisEmbeddingCache"/> the <see cref="IEmbeddingCache"/> (replacing the embedded one).
    /// </summary>
    public static IServiceCollection AddCodeGraphRagRedisEmbeddingCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Set CodeGraphRag:Storage:Redis:ConnectionString (e.g. localhost:6379).")
            .ValidateOnStart();
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var config = ConfigurationOptions.Parse(options.ConnectionString!);
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.RemoveAll<IEmbeddingCache>();
        services.AddSingleton<IEmbeddingCache>(sp => new RedisEmbeddingCache(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisOptions>>().Value));
        return services;
    }
}
