namespace CodeGraphRag.Storage.Redis;

/// <summary>
/// A failed Redis request: the operation and the endpoints it went to; the StackExchange.Redis error is the inner
/// exception. Never carries the connection string or its password.
/// </summary>
[GenerateSerializer, Alias("cgr.RedisStoreException")]
public sealed class RedisStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RedisStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="operation"/> against <paramref name="endpoint"/>.</summary>
    /// <param name="operation">What the store was doing, e.g. <c>EmbeddingCacheGet</c>.</param>
    /// <param name="endpoint">The configured endpoints, <c>host:port</c>, comma-separated.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The StackExchange.Redis failure.</param>
    public RedisStoreException(string operation, string endpoint, string message, Exception? innerException)
        : base($"Redis {operation} on {endpoint} failed: {message}", innerException)
    {
        Operation = operation;
        Endpoint = endpoint;
    }

    /// <summary>The store operation that failed, e.g. <c>EmbeddingCacheGet</c> or <c>EmbeddingCachePut</c>.</summary>
    [Id(0)]
    public string? Operation { get; init; }

    /// <summary>The configured endpoints the request went to (<c>host:port</c>, comma-separated).</summary>
    [Id(1)]
    public string? Endpoint { get; init; }
}
