namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>An import, using or include directive.</summary>
/// <param name="Module">The imported module, namespace or path as written, e.g. <c>os.path</c>, <c>./auth/jwt</c>, <c>System.Text</c>, <c>github.com/x/y</c>.</param>
/// <param name="Names">Names imported from it (<c>from m import a, b</c>; <c>import { a } from 'm'</c>), empty for whole-module imports.</param>
/// <param name="Alias">The local alias, if any (<c>import numpy as np</c>).</param>
/// <param name="Line">1-based line.</param>
[GenerateSerializer, Immutable, Alias("cgr.ImportInfo")]
public sealed record ImportInfo(
    [property: Id(0)] string Module,
    [property: Id(1)] IReadOnlyList<string> Names,
    [property: Id(2)] string? Alias,
    [property: Id(3)] int Line);
