namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Outcome recorded for a file in a repository's manifest.</summary>
public enum FileStatus
{
    /// <summary>Parsed, chunked and stored.</summary>
    Indexed,
    /// <summary>Deliberately not indexed; <see cref="FileRecord.Reason"/> says why (binary, too-large, generated, vendored, ignored, unsupported, symlink-outside-root).</summary>
    Skipped,
    /// <summary>Processing failed; <see cref="FileRecord.Reason"/> holds the error. Retried on every sync.</summary>
    Failed,
}
