namespace CodeGraphRag.Retrieval.Context;

/// <summary>A ranked hit to pack, with its text and related code.</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="StartLine">First line (1-based).</param>
/// <param name="EndLine">Last line.</param>
/// <param name="Symbol">Qualified symbol name (empty for top-level code).</param>
/// <param name="Language">Language id, used as the fence's language tag.</param>
/// <param name="Text">The chunk text (line i is line <c>StartLine + i</c> when the text covers its span contiguously).</param>
/// <param name="Related">Related code, in the order it should be shown.</param>
public sealed record ContextItem(
    string Repository,
    string Path,
    int StartLine,
    int EndLine,
    string Symbol,
    string Language,
    string Text,
    IReadOnlyList<ContextRelatedItem> Related);
