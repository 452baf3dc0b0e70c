using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Context;

/// <summary>Related code of a hit, shown compactly (a reference line and its first lines).</summary>
/// <param name="Relation">How it relates to the hit.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="StartLine">First line.</param>
/// <param name="EndLine">Last line.</param>
/// <param name="Symbol">Qualified symbol name.</param>
/// <param name="Language">Language id.</param>
/// <param name="Text">Its text (may be empty: only the reference line is shown).</param>
public sealed record ContextRelatedItem(
    GraphRelation Relation,
    string Repository,
    string Path,
    int StartLine,
    int EndLine,
    string Symbol,
    string Language,
    string Text);
