namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A registered repository and the state of its last sync.</summary>
/// <param name="Name">Repository name as given (default: the folder name).</param>
/// <param name="Source">Where it is read from: a local path or a git URL.</param>
/// <param name="Revision">The commit indexed by the last completed sync, when indexing a git revision.</param>
/// <param name="LastSyncStarted">When the last sync started.</param>
/// <param name="LastSyncCompleted">When the last sync completed; null while none has.</param>
/// <param name="ReadGroups">Groups allowed to read it (empty: everyone).</param>
[GenerateSerializer, Immutable, Alias("cgr.RepositoryInfo")]
public sealed record RepositoryInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Source,
    [property: Id(2)] string? Revision,
    [property: Id(3)] DateTimeOffset? LastSyncStarted,
    [property: Id(4)] DateTimeOffset? LastSyncCompleted,
    [property: Id(5)] IReadOnlyList<string> ReadGroups);
