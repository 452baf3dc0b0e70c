using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Abstractions.Search;

/// <summary>Code around a hit: a caller, callee, parent type or import.</summary>
[GenerateSerializer, Immutable, Alias("cgr.RelatedCode")]
public sealed record RelatedCode(
    [property: Id(0)] GraphRelation Relation,
    [property: Id(1)] string Repository,
    [property: Id(2)] string Path,
    [property: Id(3)] string Symbol,
    [property: Id(4)] int StartLine,
    [property: Id(5)] int EndLine);
