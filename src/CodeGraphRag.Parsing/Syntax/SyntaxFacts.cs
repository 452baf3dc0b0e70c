using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Syntax;

/// <summary>What a syntax extractor finds in one file, before chunking.</summary>
/// <param name="Symbols">Declarations in source order, with 1-based inclusive line spans.</param>
/// <param name="Calls">Call sites (plain, member and constructor calls).</param>
/// <param name="Imports">Imports/usings/includes.</param>
/// <param name="Inheritance">Base types and implemented interfaces.</param>
/// <param name="SyntaxErrors">Error regions the parser recovered from.</param>
public sealed record SyntaxFacts(
    IReadOnlyList<SymbolInfo> Symbols,
    IReadOnlyList<CallReference> Calls,
    IReadOnlyList<ImportInfo> Imports,
    IReadOnlyList<InheritanceInfo> Inheritance,
    int SyntaxErrors)
{
    /// <summary>Nothing found (text files, unknown languages).</summary>
    public static SyntaxFacts Empty { get; } = new([], [], [], [], 0);
}
