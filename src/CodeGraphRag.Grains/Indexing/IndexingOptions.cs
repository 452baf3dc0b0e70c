namespace CodeGraphRag.Grains.Indexing;

/// <summary>Indexing settings, section <c>CodeGraphRag:Indexing</c>.</summary>
public sealed class IndexingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Indexing";

    /// <summary>Files processed concurrently by one repository grain.</summary>
    public int MaxParallelFiles { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Files larger than this are skipped as too-large.</summary>
    public long MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>Texts per call to the embedding grain.</summary>
    public int EmbedRequestSize { get; set; } = 64;

    /// <summary>
    /// Write each changed file's chunks and graph before their vectors, and embed the new chunks afterwards in
    /// repository-wide batches (<see cref="VectorBacklogBatch"/>): a file is searchable lexically and through the graph as
    /// soon as it is parsed, and dense search sees each chunk once its vector is stored. Applies where the chunk store can
    /// hold a chunk without its vector (the embedded store; Milvus rows need their vector). False: each file waits for
    /// its vectors before it is written.
    /// </summary>
    public bool DeferEmbedding { get; set; } = true;

    /// <summary>Chunks awaiting vectors that one step of a sync's embedding phase reads, embeds and stores.</summary>
    public int VectorBacklogBatch { get; set; } = 512;

    /// <summary>Embedding requests of <see cref="EmbedRequestSize"/> texts the embedding phase keeps in flight.</summary>
    public int EmbedRequestsInFlight { get; set; } = 2;

    /// <summary>How long a sync waits for an embedder silo to answer before it fails (the manifest does not advance).</summary>
    public TimeSpan EmbedderWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a waiting sync asks whether an embedder silo is back.</summary>
    public TimeSpan EmbedderProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long file work is retried (with backoff) while the silo running its file grain is unreachable: long enough for
    /// membership to declare a killed silo dead, after which the grain is re-activated on a live one.
    /// </summary>
    public TimeSpan SiloFailureRetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where indexing silos keep bare mirrors of git URL sources (<c>CodeGraphRag:Git:CacheDirectory</c> in hosts; default: under the temp folder).</summary>
    public string GitCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "cgr-git-cache");
}
