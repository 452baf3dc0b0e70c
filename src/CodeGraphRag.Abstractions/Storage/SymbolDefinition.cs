using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A symbol that defines a name, found by <see cref="ICodeGraphStore.FindDefinitionsAsync"/>.</summary>
/// <param name="Name">The simple name looked up.</param>
/// <param name="Symbol">The defining symbol.</param>
/// <param name="Kind">Its kind.</param>
[GenerateSerializer, Immutable, Alias("cgr.SymbolDefinition")]
public sealed record SymbolDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] SymbolKey Symbol,
    [property: Id(2)] SymbolKind Kind);
