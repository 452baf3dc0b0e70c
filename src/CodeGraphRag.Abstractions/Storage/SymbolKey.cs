namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Identifies a symbol (or, with an empty qualified name, a file's top level).</summary>
[GenerateSerializer, Immutable, Alias("cgr.SymbolKey")]
public sealed record SymbolKey(
    [property: Id(0)] string Repository,
    [property: Id(1)] string Path,
    [property: Id(2)] string QualifiedName);
