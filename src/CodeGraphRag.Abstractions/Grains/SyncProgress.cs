namespace CodeGraphRag.Abstractions.Grains;

/// <summary>Progress and, once finished, the summary of a sync.</summary>
[GenerateSerializer, Immutable, Alias("cgr.SyncProgress")]
public sealed record SyncProgress
{
    /// <summary>Phase.</summary>
    [Id(0)] public SyncPhase Phase { get; init; }
    /// <summary>Files in the tree that are candidates (after skips).</summary>
    [Id(1)] public int FilesTotal { get; init; }
    /// <summary>Changed files sent to file grains.</summary>
    [Id(2)] public int FilesToProcess { get; init; }
    /// <summary>Changed files finished.</summary>
    [Id(3)] public int FilesProcessed { get; init; }
    /// <summary>Files (re)indexed.</summary>
    [Id(4)] public int FilesIndexed { get; init; }
    /// <summary>Files whose hash and pipeline version were unchanged.</summary>
    [Id(5)] public int FilesUnchanged { get; init; }
    /// <summary>Files removed because they left the tree.</summary>
    [Id(6)] public int FilesDeleted { get; init; }
    /// <summary>Files that failed (recorded with reasons).</summary>
    [Id(7)] public int FilesFailed { get; init; }
    /// <summary>Skipped files by reason.</summary>
    [Id(8)] public IReadOnlyDictionary<string, int> SkippedByReason { get; init; } = new Dictionary<string, int>();
    /// <summary>Chunks inserted or changed.</summary>
    [Id(9)] public long ChunksWritten { get; init; }
    /// <summary>Chunks embedded (cache misses).</summary>
    [Id(10)] public long ChunksEmbedded { get; init; }
    /// <summary>Time since the sync started.</summary>
    [Id(11)] public TimeSpan Elapsed { get; init; }
    /// <summary>The error that stopped the sync.</summary>
    [Id(12)] public string? Error { get; init; }
    /// <summary>Secret values redacted.</summary>
    [Id(13)] public long SecretsRedacted { get; init; }
    /// <summary>Bytes of changed files processed.</summary>
    [Id(14)] public long BytesProcessed { get; init; }

    /// <summary>A machine-readable cause when <see cref="Error"/> is set (see <see cref="SyncErrorCodes"/>).</summary>
    [Id(15)] public string? ErrorCode { get; init; }

    /// <summary>
    /// Time from the start of the sync until every changed file was written (searchable lexically and through the graph),
    /// before the vectors of its new chunks; null until then.
    /// </summary>
    [Id(16)] public TimeSpan? SearchableAfter { get; init; }

    /// <summary>Chunks of the repository that are written but have no vector yet (counted down in <see cref="SyncPhase.Embedding"/>).</summary>
    [Id(17)] public long ChunksAwaitingVectors { get; init; }

    /// <summary>True once the sync has stopped (completed, failed or cancelled).</summary>
    public bool IsFinished => Phase is SyncPhase.Completed or SyncPhase.Failed or SyncPhase.Cancelled;
}
