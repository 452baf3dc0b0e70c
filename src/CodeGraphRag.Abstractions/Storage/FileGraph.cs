using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A file's graph facts: its symbols and its late-bound references.</summary>
[GenerateSerializer, Immutable, Alias("cgr.FileGraph")]
public sealed record FileGraph(
    [property: Id(0)] IReadOnlyList<SymbolInfo> Symbols,
    [property: Id(1)] IReadOnlyList<CallReference> Calls,
    [property: Id(2)] IReadOnlyList<ImportInfo> Imports,
    [property: Id(3)] IReadOnlyList<InheritanceInfo> Inheritance)
{
    /// <summary>A file without graph facts (skipped, failed, or a text file).</summary>
    public static FileGraph Empty { get; } = new([], [], [], []);
}
