using CodeGraphRag.Storage.Redis.Internals;

namespace CodeGraphRag.Storage.Redis;

/// <summary>Redis for clusters (section <c>CodeGraphRag:Storage:Redis</c>): the embedding cache shared by every silo.</summary>
public sealed class RedisOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = Constants.ConfigurationSection;

    /// <summary>
    /// StackExchange.Redis connection string, e.g. <c>redis:6379,password=...</c>. Required; it may hold a password, so it
    /// is never logged or put in an exception message as it is (see <see cref="ToString"/>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key this product writes (several deployments may share one Redis). Default <c>cgr</c>.</summary>
    public string KeyPrefix { get; set; } = "cgr";

    /// <summary>
    /// How long a cached embedding lives (default 30 days; must be positive); null keeps it until Redis evicts it
    /// (configure an LRU policy).
    /// </summary>
    public TimeSpan? EmbeddingTimeToLive { get; set; } = TimeSpan.FromDays(30);

    /// <summary><paramref name="connectionString"/> with its password masked (a placeholder when it does not parse), safe for logs.</summary>
    public static string Redact(string? connectionString) => RedisConnectionText.Redact(connectionString);

    /// <summary>The settings with the connection string's password masked, safe for logs.</summary>
    public override string ToString() =>
        $"Redis {RedisConnectionText.Redact(ConnectionString)} prefix '{KeyPrefix}' ttl {(EmbeddingTimeToLive is { } ttl ? ttl.ToString() : "none")}";
}
