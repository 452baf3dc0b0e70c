namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>Everything the parsing stage extracts from one file.</summary>
/// <param name="Language">Language id (see <see cref="ILanguageRegistry"/>), e.g. <c>csharp</c>, <c>python</c>, <c>markdown</c>, <c>text</c>.</param>
/// <param name="Symbols">Declarations in source order.</param>
/// <param name="Calls">Call sites.</param>
/// <param name="Imports">Imports/usings.</param>
/// <param name="Inheritance">Base types and implemented interfaces.</param>
/// <param name="Chunks">Chunks covering the file, in source order.</param>
/// <param name="SyntaxErrors">Number of syntax error regions the parser recovered from (the file is still indexed).</param>
[GenerateSerializer, Immutable, Alias("cgr.ParsedFile")]
public sealed record ParsedFile(
    [property: Id(0)] string Language,
    [property: Id(1)] IReadOnlyList<SymbolInfo> Symbols,
    [property: Id(2)] IReadOnlyList<CallReference> Calls,
    [property: Id(3)] IReadOnlyList<ImportInfo> Imports,
    [property: Id(4)] IReadOnlyList<InheritanceInfo> Inheritance,
    [property: Id(5)] IReadOnlyList<ChunkDraft> Chunks,
    [property: Id(6)] int SyntaxErrors);
