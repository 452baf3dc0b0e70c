using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Abstractions.Search;

/// <summary>One ranked result.</summary>
/// <param name="Rank">1-based rank.</param>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="StartLine">First line.</param>
/// <param name="EndLine">Last line.</param>
/// <param name="Symbol">Qualified symbol name (empty for top-level code).</param>
/// <param name="Kind">Chunk kind.</param>
/// <param name="Language">Language id.</param>
/// <param name="Score">Final score (fused, graph-adjusted).</param>
/// <param name="Scores">Score breakdown by stage: <c>dense</c>, <c>lexical</c>, <c>rrf</c>, <c>graph</c> (raw backend scores only when the caller may read every repository in scope).</param>
/// <param name="Text">The chunk text (redacted).</param>
/// <param name="Related">Neighbouring code with the relation named.</param>
/// <param name="Class">The class of the hit's file (code, test, docs, changelog, config, generated, example, benchmark).</param>
[GenerateSerializer, Immutable, Alias("cgr.SearchHit")]
public sealed record SearchHit(
    [property: Id(0)] int Rank,
    [property: Id(1)] string ChunkId,
    [property: Id(2)] string Repository,
    [property: Id(3)] string Path,
    [property: Id(4)] int StartLine,
    [property: Id(5)] int EndLine,
    [property: Id(6)] string Symbol,
    [property: Id(7)] ChunkKind Kind,
    [property: Id(8)] string Language,
    [property: Id(9)] double Score,
    [property: Id(10)] IReadOnlyDictionary<string, double> Scores,
    [property: Id(11)] string Text,
    [property: Id(12)] IReadOnlyList<RelatedCode> Related,
    [property: Id(13)] FileClass Class = FileClass.Code);
