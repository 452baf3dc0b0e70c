using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A stored chunk: redacted text plus the metadata every store keeps.</summary>
/// <param name="Id">Derived from (repo, path, content hash, occurrence), see <c>ChunkIds</c>; stable while the text is unchanged.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path with <c>/</c>.</param>
/// <param name="Language">Language id.</param>
/// <param name="SymbolPath">Qualified name of the symbol (empty for top-level code and windows).</param>
/// <param name="Kind">What the chunk covers.</param>
/// <param name="StartLine">1-based first line.</param>
/// <param name="EndLine">1-based last line.</param>
/// <param name="Text">Chunk text after secret redaction.</param>
/// <param name="ContentHash">Hex SHA-256 of <paramref name="Text"/>.</param>
/// <param name="EmbeddingKey">Hex SHA-256 of the exact text that was embedded (header + text); the embedding cache key.</param>
/// <param name="LexicalText">Identifier-split text that lexical indexes store.</param>
/// <param name="Signature">The symbol's one-line signature, if any.</param>
/// <param name="Class">The class of the chunk's file (see <see cref="FileClass"/>).</param>
[GenerateSerializer, Immutable, Alias("cgr.ChunkRecord")]
public sealed record ChunkRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Repository,
    [property: Id(2)] string Path,
    [property: Id(3)] string Language,
    [property: Id(4)] string SymbolPath,
    [property: Id(5)] ChunkKind Kind,
    [property: Id(6)] int StartLine,
    [property: Id(7)] int EndLine,
    [property: Id(8)] string Text,
    [property: Id(9)] string ContentHash,
    [property: Id(10)] string EmbeddingKey,
    [property: Id(11)] string LexicalText,
    [property: Id(12)] string? Signature,
    [property: Id(13)] FileClass Class = FileClass.Code);
