namespace CodeGraphRag.Storage.Redis;

/// <summary>Names shared by the Redis backend.</summary>
internal static class Constants
{
    public const string ConfigurationSection = "CodeGraphRag:Storage:Redis";

    /// <summary>The key segment between the prefix and the model id: <c>{prefix}:emb:{modelId}:{textHash}</c>.</summary>
    public const string EmbeddingKeySegment = "emb";

    /// <summary>Keys per <c>MGET</c> and writes in flight per batch of <c>SET NX</c>.</summary>
    public const int BatchSize = 512;

    public const string OperationGet = "EmbeddingCacheGet";
    public const string OperationPut = "EmbeddingCachePut";
}
