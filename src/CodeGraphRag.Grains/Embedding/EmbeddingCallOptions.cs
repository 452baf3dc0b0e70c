namespace CodeGraphRag.Grains.Embedding;

/// <summary>
/// How long a grain waits for one call to the embedding grain, section <c>CodeGraphRag:EmbeddingCalls</c>. A call whose
/// message is lost (seen while a killed silo restarts on its old address) would otherwise wait for Orleans' 15 minute
/// response timeout; past the timeout the call is sent again, and after the last attempt it fails with
/// <see cref="EmbedderTimeoutException"/> (UNAVAILABLE through the API; a sync retries the file).
/// </summary>
public sealed class EmbeddingCallOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:EmbeddingCalls";

    /// <summary>
    /// Wait for one query embedding. Queries go ahead of document batches in the embedder, so an answer normally comes
    /// after at most one batch in progress.
    /// </summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Wait for one file's request of document texts (<c>Indexing:EmbedRequestSize</c> of them). It includes the time the
    /// request queues behind other files' requests, so a CPU embedder serving many repositories at once needs more.
    /// </summary>
    public TimeSpan DocumentTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls sent before giving up (the first one included).</summary>
    public int Attempts { get; set; } = 2;
}
