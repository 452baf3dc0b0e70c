namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>A call site (method/function call or constructor call), stored late-bound by name.</summary>
/// <param name="CallerQualifiedName">Qualified name of the innermost enclosing symbol, or the empty string for top-level code.</param>
/// <param name="Name">The called simple name, e.g. <c>Validate</c> for <c>jwt.Validate(x)</c> or <c>JwtValidator</c> for <c>new JwtValidator()</c>.</param>
/// <param name="Qualifier">The receiver or qualifier text as written, e.g. <c>jwt</c>, <c>os.path</c>, or null for a plain call.</param>
/// <param name="Line">1-based line of the call.</param>
[GenerateSerializer, Immutable, Alias("cgr.CallReference")]
public sealed record CallReference(
    [property: Id(0)] string CallerQualifiedName,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Qualifier,
    [property: Id(3)] int Line);
