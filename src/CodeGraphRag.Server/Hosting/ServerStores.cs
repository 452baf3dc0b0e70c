using CodeGraphRag.Hosting;
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
    public static void Add(IServiceCollection services, ServerSettings settings)
    {
        services.AddCodeGraphRagServices(new EmbeddedHostSettings(settings.DataDirectory, settings.ReadOnlyStore));
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
