namespace CodeGraphRag.Abstractions.Search;

/// <summary>A search whose hits and their graph context are packed into a token budget for an LLM prompt.</summary>
/// <param name="Search">The search to run (its scope and mode; its <c>Top</c> bounds the hits considered).</param>
/// <param name="TokenBudget">The most tokens the packed text may take.</param>
[GenerateSerializer, Immutable, Alias("cgr.ContextRequest")]
public sealed record ContextRequest(
    [property: Id(0)] SearchRequest Search,
    [property: Id(1)] int TokenBudget);
