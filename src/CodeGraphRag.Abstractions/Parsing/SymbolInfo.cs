namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>A declaration found in a file.</summary>
/// <param name="QualifiedName">Dotted path from the file's namespace/module down to the symbol, e.g. <c>Acme.Auth.JwtValidator.Validate</c>. Unique within a file (overloads get a <c>`2</c> suffix).</param>
/// <param name="Name">The simple name, e.g. <c>Validate</c>; what calls are matched against.</param>
/// <param name="Kind">What the symbol is.</param>
/// <param name="StartLine">First line, 1-based, inclusive (attributes and decorators included).</param>
/// <param name="EndLine">Last line, 1-based, inclusive.</param>
/// <param name="ParentQualifiedName">The enclosing symbol's qualified name, or null at the top level.</param>
/// <param name="Signature">The declaration's header on one line (no body), e.g. <c>public bool Validate(string token)</c>.</param>
[GenerateSerializer, Immutable, Alias("cgr.SymbolInfo")]
public sealed record SymbolInfo(
    [property: Id(0)] string QualifiedName,
    [property: Id(1)] string Name,
    [property: Id(2)] SymbolKind Kind,
    [property: Id(3)] int StartLine,
    [property: Id(4)] int EndLine,
    [property: Id(5)] string? ParentQualifiedName,
    [property: Id(6)] string? Signature);
