namespace CodeGraphRag.Abstractions.Grains;

/// <summary>Values of <see cref="SyncProgress.ErrorCode"/>.</summary>
public static class SyncErrorCodes
{
    /// <summary>No embedder silo answered within the configured wait; nothing was lost and the next sync resumes.</summary>
    public const string EmbedderUnavailable = "embedder-unavailable";
}
