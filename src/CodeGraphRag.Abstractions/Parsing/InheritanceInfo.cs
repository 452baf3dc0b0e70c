namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>A base type or implemented interface of a declared type.</summary>
/// <param name="TypeQualifiedName">Qualified name of the declaring type.</param>
/// <param name="BaseName">The base type's simple name as written, without generic arguments (e.g. <c>Repository</c> for <c>Repository&lt;T&gt;</c>).</param>
/// <param name="Line">1-based line.</param>
[GenerateSerializer, Immutable, Alias("cgr.InheritanceInfo")]
public sealed record InheritanceInfo(
    [property: Id(0)] string TypeQualifiedName,
    [property: Id(1)] string BaseName,
    [property: Id(2)] int Line);
