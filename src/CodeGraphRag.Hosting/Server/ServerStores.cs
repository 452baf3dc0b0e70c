using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.Storage.Milvus;
using CodeGraphRag.Storage.Neo4j;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CodeGraphRag.Hosting.Server;

/// <summary>The one place the server picks its stores.</summary>
internal static class ServerStores
{
    /// <summary>
    /// Registers the ports (catalog, chunk store, graph store, index writer, embedding cache) and the pipeline services:
    /// Milvus and Neo4j when both URLs are configured (registered first, so they win over the TryAdd defaults), the
    /// Redis embedding cache on a Redis cluster, and the embedded store in <see cref="ServerOptions.DataDirectory"/> for
    /// whatever is left.
    /// </summary>
    public static void Add(IServiceCollection services, ServerOptions settings, IConfiguration configuration)
    {
        // A Redis cluster shares one embedding cache, so a chunk embedded by any silo is never embedded again.
        if (settings.RedisConnectionString is not null)
        {
            services.AddCodeGraphRagRedisEmbeddingCache(configuration);
        }

        AddDistributedStores(services, configuration);
        services.AddCodeGraphRagServices(new EmbeddedHostSettings(settings.DataDirectory, settings.ReadOnlyStore));

        // Several silo processes of one host share the embedded store (SQLite in WAL mode serialises their writes); a
        // single localhost silo keeps the directory lock so a concurrent `cgr index` is refused clearly.
        var shared = configuration.GetValue<bool?>("CodeGraphRag:Storage:Embedded:SharedWriters") ?? settings.Clustering == ClusteringKind.Redis;
        services.Configure<EmbeddedStorageOptions>(o => o.SharedWriters = shared);
        var gitCache = configuration["CodeGraphRag:Git:CacheDirectory"] is { Length: > 0 } configured ? configured : Path.Combine(settings.DataDirectory, "git-cache");
        services.Configure<IndexingOptions>(o => o.GitCacheDirectory = gitCache);
    }

    /// <summary>
    /// Milvus (chunks, vectors, BM25) and Neo4j (catalog, manifests, graph) when both URLs are configured, paired by a
    /// <see cref="SplitIndexWriter"/>; registered before the embedded defaults, whose registrations only fill gaps.
    /// </summary>
    /// <exception cref="ServerConfigurationException">Only one of the two is configured.</exception>
    internal static bool AddDistributedStores(IServiceCollection services, IConfiguration configuration)
    {
        var milvus = configuration["CodeGraphRag:Storage:Milvus:Url"];
        var neo4j = configuration["CodeGraphRag:Storage:Neo4j:Url"];
        if (string.IsNullOrWhiteSpace(milvus) && string.IsNullOrWhiteSpace(neo4j))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(milvus) || string.IsNullOrWhiteSpace(neo4j))
        {
            throw new ServerConfigurationException(ServerOptionsValidator.UnpairedDistributedStores(milvusSet: !string.IsNullOrWhiteSpace(milvus)));
        }

        services.AddCodeGraphRagMilvus(configuration);
        // The chunks and their vectors live in Milvus: the embedded store has no dense index to keep up to date.
        services.Configure<EmbeddedStorageOptions>(o => o.DenseCatchUpInterval = TimeSpan.Zero);
        // The collection's vectors belong to the model the embedder silos run, like the embedded store's.
        services.AddOptions<MilvusOptions>().Configure<IEmbedder>((o, embedder) =>
        {
            o.ModelId = embedder.Model.Id;
            o.Dimensions = embedder.Model.Dimensions;
        });
        // The catalog's awaiting-vectors count comes from the chunk half; registered first so Neo4j's own TryAdd yields to it.
        services.TryAddSingleton<IRepositoryCatalog>(sp => new SplitRepositoryCatalog(sp.GetRequiredService<Neo4jGraphIndex>(), sp.GetRequiredService<IChunkIndex>()));
        services.AddCodeGraphRagNeo4j();
        services.TryAddSingleton<IIndexWriter>(sp => new SplitIndexWriter(sp.GetRequiredService<IChunkIndex>(), sp.GetRequiredService<IGraphIndex>()));
        return true;
    }

    /// <summary>Grain state: Redis in a Redis cluster, else the embedded store's database.</summary>
    public static void AddGrainStorage(ISiloBuilder silo, ServerOptions settings)
    {
        if (settings.Clustering == ClusteringKind.Redis)
        {
            silo.AddCodeGraphRagRedisGrainStorage(Constants.GrainStorage, settings.RedisConnectionString!);
        }
        else
        {
            silo.AddEmbeddedGrainStorage(Constants.GrainStorage);
        }
    }
}
