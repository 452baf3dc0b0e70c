namespace CodeGraphRag.Abstractions.Grains;

/// <summary>What to index.</summary>
/// <param name="Source">Local path of the working tree (or of the git repository when <paramref name="Revision"/> is set), or a git URL that the indexing silo mirrors.</param>
/// <param name="Revision">A git commit-ish to index instead of the working tree (or instead of the branch head of a git URL).</param>
/// <param name="Branch">For a git URL source: the branch to follow (null: the remote's default branch).</param>
[GenerateSerializer, Immutable, Alias("cgr.SyncRequest")]
public sealed record SyncRequest(
    [property: Id(0)] string Source,
    [property: Id(1)] string? Revision = null,
    [property: Id(2)] string? Branch = null);
