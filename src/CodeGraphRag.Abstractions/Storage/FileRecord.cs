namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A file's manifest entry.</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="Language">Language id, or null when unknown.</param>
/// <param name="ContentHash">Hex SHA-256 of the raw bytes (a git blob id when indexing a commit).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="PipelineVersion">The pipeline version that produced the stored data.</param>
/// <param name="Status">Indexed, skipped or failed.</param>
/// <param name="Reason">Skip reason or failure message.</param>
/// <param name="ChunkCount">Number of chunks stored for the file.</param>
/// <param name="Class">What the file is for, decided at index time from its path and content.</param>
[GenerateSerializer, Immutable, Alias("cgr.FileRecord")]
public sealed record FileRecord(
    [property: Id(0)] string Repository,
    [property: Id(1)] string Path,
    [property: Id(2)] string? Language,
    [property: Id(3)] string ContentHash,
    [property: Id(4)] long Size,
    [property: Id(5)] string PipelineVersion,
    [property: Id(6)] FileStatus Status,
    [property: Id(7)] string? Reason,
    [property: Id(8)] int ChunkCount,
    [property: Id(9)] FileClass Class = FileClass.Code);
