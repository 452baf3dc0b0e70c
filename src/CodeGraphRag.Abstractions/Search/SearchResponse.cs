namespace CodeGraphRag.Abstractions.Search;

/// <summary>The result of a search.</summary>
/// <param name="Query">The query text after inline filters were removed.</param>
/// <param name="Mode">The mode that ran.</param>
/// <param name="Hits">Ranked hits.</param>
/// <param name="Elapsed">Server-side time.</param>
/// <param name="Files">Ranked files, when the request asked for them (<see cref="SearchRequest.Files"/>); otherwise null.</param>
[GenerateSerializer, Immutable, Alias("cgr.SearchResponse")]
public sealed record SearchResponse(
    [property: Id(0)] string Query,
    [property: Id(1)] SearchMode Mode,
    [property: Id(2)] IReadOnlyList<SearchHit> Hits,
    [property: Id(3)] TimeSpan Elapsed,
    [property: Id(4)] IReadOnlyList<FileHit>? Files = null);
