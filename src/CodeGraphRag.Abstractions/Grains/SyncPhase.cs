namespace CodeGraphRag.Abstractions.Grains;

/// <summary>Where a sync is.</summary>
public enum SyncPhase
{
    /// <summary>No sync has run in this activation.</summary>
    Idle,
    /// <summary>Walking the tree and hashing files.</summary>
    Scanning,
    /// <summary>Sending changed files to file grains.</summary>
    Processing,
    /// <summary>Removing deleted files from every store.</summary>
    Removing,
    /// <summary>Finished; the manifest reflects the tree.</summary>
    Completed,
    /// <summary>Stopped by an error; <see cref="SyncProgress.Error"/> says which.</summary>
    Failed,
    /// <summary>Cancelled; the next sync finishes the job.</summary>
    Cancelled,
    /// <summary>No embedder silo answers; the sync waits (bounded by <c>CodeGraphRag:Indexing:EmbedderWaitTimeout</c>) and then fails.</summary>
    WaitingForEmbedder,
    /// <summary>
    /// Every changed file is written and searchable lexically and through the graph; chunks written before their vectors
    /// are being embedded (dense search sees each one once its vector is stored).
    /// </summary>
    Embedding,
}
