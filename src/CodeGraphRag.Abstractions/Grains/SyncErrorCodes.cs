namespace CodeGraphRag.Abstractions.Grains;

/// <summary>Values of <see cref="SyncProgress.ErrorCode"/>.</summary>
public static class SyncErrorCodes
{
    /// <summary>No embedder silo answered within the configured wait; nothing was lost and the next sync resumes.</summary>
    public const string EmbedderUnavailable = "embedder-unavailable";

    /// <summary>The embedder silos run another embedding model than the indexing silo's; an operator must align the settings.</summary>
    public const string EmbeddingModelMismatch = "embedding-model-mismatch";
}
