namespace CodeGraphRag.Abstractions.Grains;

/// <summary>What to index.</summary>
/// <param name="Source">Local path of the working tree (or of the git repository when <paramref name="Revision"/> is set).</param>
/// <param name="Revision">A git commit-ish to index instead of the working tree.</param>
[GenerateSerializer, Immutable, Alias("cgr.SyncRequest")]
public sealed record SyncRequest(
    [property: Id(0)] string Source,
    [property: Id(1)] string? Revision = null);
