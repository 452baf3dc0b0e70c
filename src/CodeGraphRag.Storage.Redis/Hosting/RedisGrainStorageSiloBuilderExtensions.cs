using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers Orleans grain storage in Redis on a silo.</summary>
public static class RedisGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage <paramref name="name"/> in the Redis named by <paramref name="connectionString"/> (the value of
    /// <c>CodeGraphRag:Storage:Redis:ConnectionString</c>), using Orleans' Redis persistence provider and its key layout.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="connectionString"/> is empty.</exception>
    public static ISiloBuilder AddCodeGraphRagRedisGrainStorage(this ISiloBuilder builder, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // Parsed per options instance: a multiplexer may hold on to the ConfigurationOptions it was given.
        builder.AddRedisGrainStorage(name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(connectionString));
        return builder;
    }
}
