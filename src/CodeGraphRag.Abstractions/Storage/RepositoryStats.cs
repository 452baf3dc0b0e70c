namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Counts for <c>cgr status</c>.</summary>
/// <param name="Files">Files in the manifest by status.</param>
/// <param name="SkippedByReason">Skipped files by reason.</param>
/// <param name="FailedFiles">Failed files with their reasons (at most a few dozen).</param>
/// <param name="Chunks">Stored chunks.</param>
/// <param name="Symbols">Stored symbols.</param>
/// <param name="References">Stored call/import/inheritance references.</param>
/// <param name="Languages">Indexed files by language.</param>
/// <param name="ChunksAwaitingVectors">Stored chunks that have no vector of the current model yet (written before their embedding).</param>
[GenerateSerializer, Immutable, Alias("cgr.RepositoryStats")]
public sealed record RepositoryStats(
    [property: Id(0)] IReadOnlyDictionary<FileStatus, int> Files,
    [property: Id(1)] IReadOnlyDictionary<string, int> SkippedByReason,
    [property: Id(2)] IReadOnlyList<KeyValuePair<string, string>> FailedFiles,
    [property: Id(3)] long Chunks,
    [property: Id(4)] long Symbols,
    [property: Id(5)] long References,
    [property: Id(6)] IReadOnlyDictionary<string, int> Languages,
    [property: Id(7)] long ChunksAwaitingVectors = 0);
