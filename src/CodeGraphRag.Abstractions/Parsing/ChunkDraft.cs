namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>A chunk as the chunker produces it, before ids, hashing, redaction and embedding.</summary>
/// <param name="SymbolPath">Qualified name of the symbol the chunk belongs to (empty for top-level code and windows).</param>
/// <param name="Kind">What the chunk covers.</param>
/// <param name="StartLine">First line, 1-based, inclusive.</param>
/// <param name="EndLine">Last line, 1-based, inclusive.</param>
/// <param name="Text">The source text of those lines.</param>
/// <param name="Signature">The symbol's one-line signature (for the embedding header), if any.</param>
[GenerateSerializer, Immutable, Alias("cgr.ChunkDraft")]
public sealed record ChunkDraft(
    [property: Id(0)] string SymbolPath,
    [property: Id(1)] ChunkKind Kind,
    [property: Id(2)] int StartLine,
    [property: Id(3)] int EndLine,
    [property: Id(4)] string Text,
    [property: Id(5)] string? Signature);
