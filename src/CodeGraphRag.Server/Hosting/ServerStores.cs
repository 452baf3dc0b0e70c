using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Hosting;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.Server.Configuration;

namespace CodeGraphRag.Server.Hosting;

/// <summary>The one place the server picks its stores.</summary>
internal static class ServerStores
{
    /// <summary>
    /// Registers the ports (catalog, chunk store, graph store, index writer, embedding cache) and the pipeline services.
    /// Today: the embedded store in <see cref="ServerSettings.DataDirectory"/>. Other backends (Milvus + Neo4j) plug in
    /// here by registering their ports before this call's TryAdd registrations.
    /// </summary>
    public static void Add(IServiceCollection services, ServerSettings settings, IConfiguration configuration)
    {
        // A Redis cluster shares one embedding cache, so a chunk embedded by any silo is never embedded again.
        if (settings.RedisConnectionString is not null)
        {
            services.AddCodeGraphRagRedisEmbeddingCache(configuration);
        }

        services.AddCodeGraphRagServices(new EmbeddedHostSettings(settings.DataDirectory, settings.ReadOnlyStore));

        // Several silo processes of one host share the embedded store (SQLite in WAL mode serialises their writes); a
        // single localhost silo keeps the directory lock so a concurrent `cgr index` is refused clearly.
        var shared = configuration.GetValue<bool?>("CodeGraphRag:Storage:Embedded:SharedWriters") ?? settings.Clustering == ClusteringKind.Redis;
        services.Configure<EmbeddedStorageOptions>(o => o.SharedWriters = shared);
        if (configuration["CodeGraphRag:Git:CacheDirectory"] is { Length: > 0 } gitCache)
        {
            services.Configure<IndexingOptions>(o => o.GitCacheDirectory = gitCache);
        }
        else
        {
            services.Configure<IndexingOptions>(o => o.GitCacheDirectory = Path.Combine(settings.DataDirectory, "git-cache"));
        }
    }

    /// <summary>Grain state: Redis in a Redis cluster, else the embedded store's database.</summary>
    public static void AddGrainStorage(ISiloBuilder silo, ServerSettings settings)
    {
        if (settings.Clustering == ClusteringKind.Redis)
        {
            silo.AddRedisGrainStorage(Constants.GrainStorage, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(settings.RedisConnectionString!));
        }
        else
        {
            silo.AddEmbeddedGrainStorage(Constants.GrainStorage);
        }
    }
}
