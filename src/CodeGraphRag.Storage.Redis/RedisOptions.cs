namespace CodeGraphRag.Storage.Redis;

/// <summary>Redis for clusters (section <c>CodeGraphRag:Storage:Redis</c>): the embedding cache shared by every silo.</summary>
public sealed class RedisOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Storage:Redis";

    /// <summary>StackExchange.Redis connection string, e.g. <c>redis:6379,password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key this product writes (several deployments may share one Redis).</summary>
    public string KeyPrefix { get; set; } = "cgr";

    /// <summary>How long a cached embedding lives; null keeps it until Redis evicts it (configure an LRU policy).</summary>
    public TimeSpan? EmbeddingTimeToLive { get; set; } = TimeSpan.FromDays(30);
}
