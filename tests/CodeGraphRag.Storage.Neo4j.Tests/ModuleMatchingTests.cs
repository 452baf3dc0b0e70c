using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>
/// The import matching written into the traversal Cypher compares fields computed at write time. This evaluates the
/// same predicate over those stored fields and holds it equal to the embedded store's rules on a grid of imports.
/// </summary>
public sealed class ModuleMatchingTests
{
    private static readonly string[] Modules =
    [
        "./auth/jwt", "../lib/util", ".", "..", ".models", "..core.base", "os.path", "pkg.util", "Acme.Auth", "github.com/x/y",
        "std::io", "lib", "numpy", "src/auth/jwt.ts", "'./quoted'", "", "  spaced  ", "a.b.c",
    ];

    private static readonly string[] Paths =
    [
        "src/app.py", "src/auth/jwt.ts", "src/auth/jwt/index.ts", "src/auth/jwt/__init__.py", "lib/util.py", "src/lib/util.py", "pkg/util.py",
        "src/pkg/util.py", "Auth/TokenValidator.cs", "Acme/Auth/Token.cs", "x/y/z.go", "y/main.go", "std/io.rs", "index.js", "__init__.py",
        "models.py", "src/models.py", "core/base.py", "numpy/core.py", "os/path.py", "a/b/c.py", "a/b.py", "quoted.js", "src/quoted.js",
    ];

    private static readonly string[] QualifiedNames = ["Acme.Auth.TokenValidator.Validate", "pkg.util.helper", "x", "a.b.c.d", "os.path.join"];

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void StoredImportFields_CypherPredicate_AgreesWithModulePathsMatchesOnEveryCombination()
    {
        var checkedCount = 0;
        foreach (var from in (string[])["src/app.py", "src/auth/main.ts", "app.py", "src/a/b/c.py"])
        {
            var imports = GraphRows.Imports(from, [.. Modules.Select(m => new ImportInfo(m, [], null, 1))]);
            foreach (var candidatePath in Paths)
            {
                var candidate = GraphRows.Symbols(candidatePath, [new SymbolInfo("q", "q", SymbolKind.Function, 1, 1, null, null)])[0];
                foreach (var (row, module) in imports.Zip(Modules))
                {
                    foreach (var repository in (string[])["r", "other"])
                    {
                        foreach (var qualifiedName in QualifiedNames.Append(null))
                        {
                            var expected = ModulePaths.Matches(module, "r", from, repository, candidatePath, qualifiedName);
                            var actual = CypherMatches(row, repository, (string)candidate["stem"]!, (string)candidate["folder"]!, qualifiedName, "r");
                            Assert.True(expected == actual, $"{module} from {from} vs {repository}:{candidatePath} ({qualifiedName}): embedded {expected}, Cypher {actual}");
                            checkedCount++;
                        }
                    }
                }
            }
        }

        Assert.True(checkedCount > 10_000);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AliasedImports_QualifierNamingAliasModuleOrLastSegment_Listed()
    {
        ImportInfo[] imports = [new("numpy", [], "np", 1), new("os.path", [], null, 2), new("github.com/x/yaml", [], null, 3), new("np", [], null, 4)];

        Assert.Equal([0, 3], GraphRows.AliasedImports(imports, "np"));
        Assert.Equal([1], GraphRows.AliasedImports(imports, "os.path"));
        Assert.Equal([1], GraphRows.AliasedImports(imports, "path"));
        Assert.Equal([2], GraphRows.AliasedImports(imports, "yaml"));
        Assert.Empty(GraphRows.AliasedImports(imports, "numpy"));
        Assert.Empty(GraphRows.AliasedImports(imports, " "));
        Assert.Empty(GraphRows.AliasedImports(imports, null));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Rows_EmptyNamesAndNoAliasedImport_StoredAbsentNotAsEmptyLists()
    {
        var graph = new CodeGraphRag.Abstractions.Storage.FileGraph([], [new CallReference(string.Empty, "run", null, 1)], [new ImportInfo("os", [], null, 1)], []);

        Assert.Null(GraphRows.Calls(graph)[0]["aliased"]);
        Assert.Null(GraphRows.Imports("a.py", graph.Imports)[0]["names"]);
        Assert.Contains("coalesce(c.aliased, [])", CodeGraphRag.Storage.Neo4j.Internals.Cypher.Callees, StringComparison.Ordinal);
    }

    /// <summary>The Matches fragment of Cypher.Graph.cs, evaluated over the stored rows (qualifiedName null: the imported-files form).</summary>
    private static bool CypherMatches(Dictionary<string, object?> import, string candidateRepository, string stem, string folder, string? qualifiedName, string fromRepository)
    {
        var norm = (string)import["norm"]!;
        if ((bool)import["relative"]!)
        {
            return candidateRepository == fromRepository
                && (stem == norm || stem == (string)import["normIndex"]! || stem == (string)import["normInit"]! || folder == norm);
        }

        if (norm.Length == 0)
        {
            return false;
        }

        var slashNorm = (string)import["slashNorm"]!;
        return stem == norm
            || stem.EndsWith(slashNorm, StringComparison.Ordinal)
            || (qualifiedName is not null && qualifiedName.StartsWith((string)import["qprefix"]!, StringComparison.Ordinal))
            || (folder.Length > 0 && (folder == norm || folder.EndsWith(slashNorm, StringComparison.Ordinal) || norm.EndsWith("/" + folder, StringComparison.Ordinal)));
    }
}
