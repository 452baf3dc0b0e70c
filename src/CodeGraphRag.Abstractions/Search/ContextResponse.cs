namespace CodeGraphRag.Abstractions.Search;

/// <summary>Packed context: the text, what it holds and the search it came from.</summary>
/// <param name="Search">The search the context was packed from (all its hits).</param>
/// <param name="Text">The packed text.</param>
/// <param name="Tokens">Tokens of <paramref name="Text"/>.</param>
/// <param name="Packed">The hits whose code is in the text, in text order (a hit cut short counts).</param>
/// <param name="RelatedIncluded">Related snippets (callers, callees, parents) in the text.</param>
[GenerateSerializer, Immutable, Alias("cgr.ContextResponse")]
public sealed record ContextResponse(
    [property: Id(0)] SearchResponse Search,
    [property: Id(1)] string Text,
    [property: Id(2)] int Tokens,
    [property: Id(3)] IReadOnlyList<SearchHit> Packed,
    [property: Id(4)] int RelatedIncluded);
