namespace CodeGraphRag.Storage.Neo4j;

/// <summary>Settings of the Neo4j graph index, bound from <c>CodeGraphRag:Storage:Neo4j</c>.</summary>
public sealed class Neo4jOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = Constants.ConfigurationSection;

    /// <summary>The server's HTTP root, e.g. <c>http://neo4j:7474</c> (no credentials in it; use <see cref="User"/> and <see cref="Password"/>).</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>User for HTTP basic authentication; empty sends no <c>Authorization</c> header (a server with auth disabled).</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>Password for <see cref="User"/>. Never logged and never part of an exception message.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>The database name (default <c>neo4j</c>).</summary>
    public string Database { get; set; } = "neo4j";

    /// <summary>
    /// Use the legacy transactional endpoint (<c>/db/&lt;db&gt;/tx/commit</c>) instead of the Query API
    /// (<c>/db/&lt;db&gt;/query/v2</c>, Neo4j 5.19+): for servers that do not enable the Query API.
    /// </summary>
    public bool UseTransactionalApi { get; set; }

    /// <summary>Time allowed for one HTTP request; a request that takes longer is retried like a transient error.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rows per <c>UNWIND</c> batch (symbols, references, paths, frontier nodes).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Retries after a transient failure (Neo.TransientError.*, HTTP 408/429/502/503/504, timeouts, connection failures).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Delay before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc/>
    public override string ToString() =>
        $"Neo4j {Url} database {Database} as {(User.Length == 0 ? "(no auth)" : User)} via {(UseTransactionalApi ? "tx/commit" : "query/v2")}";
}
