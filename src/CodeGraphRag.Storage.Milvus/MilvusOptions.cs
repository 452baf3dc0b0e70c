namespace CodeGraphRag.Storage.Milvus;

/// <summary>Settings of the Milvus chunk index, bound from <c>CodeGraphRag:Storage:Milvus</c>.</summary>
public sealed class MilvusOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = Constants.ConfigurationSection;

    /// <summary>Base URL of the Milvus proxy (REST shares the gRPC port), e.g. <c>http://milvus:19530</c>.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Sent as <c>Authorization: Bearer &lt;Token&gt;</c>: <c>user:password</c> or an API key; empty when auth is off.</summary>
    public string? Token { get; set; }

    /// <summary>Database name sent as <c>dbName</c>; empty means the server's <c>default</c>.</summary>
    public string? Database { get; set; }

    /// <summary>The one collection holding the chunks of every repository.</summary>
    public string Collection { get; set; } = "cgr_chunks";

    /// <summary>Shards (DML channels) of the collection when this client creates it (1 to 16; fixed afterwards).</summary>
    public int Shards { get; set; } = 2;

    /// <summary>Vector length of <see cref="ModelId"/>; an existing collection with another dimension is refused.</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>The embedding model id; recorded in the collection description and checked at startup.</summary>
    public string ModelId { get; set; } = string.Empty;

    /// <summary>Per-attempt timeout of one HTTP request (also sent as the <c>Request-Timeout</c> header).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (HTTP 5xx/408/429, timeouts, Milvus codes such as rate limits) before it surfaces.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Dense index type: <c>HNSW</c> or <c>AUTOINDEX</c>.</summary>
    public string IndexType { get; set; } = "HNSW";

    /// <summary>HNSW <c>M</c> (edges per node).</summary>
    public int HnswM { get; set; } = 16;

    /// <summary>HNSW <c>efConstruction</c>.</summary>
    public int HnswEfConstruction { get; set; } = 200;

    /// <summary>HNSW search <c>ef</c>; raised to the requested top-k when smaller.</summary>
    public int SearchEf { get; set; } = 96;

    /// <summary>Consistency level of every read (<c>Strong</c> makes a write visible to the next read; <c>Bounded</c> is faster).</summary>
    public string ConsistencyLevel { get; set; } = "Strong";

    /// <summary>Most rows in one upsert request.</summary>
    public int MaxBatchRows { get; set; } = 1000;

    /// <summary>Most bytes of rows in one upsert request (Milvus accepts 64 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long startup waits for the collection to load.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Interval between load-state polls.</summary>
    public TimeSpan LoadPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The settings that identify the server, without the token (only whether one is set), safe for logs.</summary>
    public override string ToString() =>
        $"Milvus {Url} database '{(string.IsNullOrEmpty(Database) ? "default" : Database)}' collection '{Collection}' token {(string.IsNullOrEmpty(Token) ? "none" : "set")}";
}
