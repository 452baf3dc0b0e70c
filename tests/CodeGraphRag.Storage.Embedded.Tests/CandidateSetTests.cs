using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The indexed import matching of <see cref="CandidateSet"/> against the per-candidate <see cref="ModulePaths.Matches(string, string, string, string, string, string?)"/>.</summary>
public sealed class CandidateSetTests
{
    private static readonly string[] CandidatePaths =
    [
        "src/pkg/util.py", "src/pkg/util/__init__.py", "pkg/util.py", "lib/pkg/core/base.py", "pkg/core/base.py", "base.py",
        "web/src/auth/jwt.ts", "web/src/auth/index.ts", "web/lib/util.js", "pkg/auth/jwt.go", "Acme/Auth/JwtValidator.cs",
        "include/util.h", "src/a.c", "os/path.py", "vendor/requests/models.py", "requests/models.py", "util.py", "a/b/c/d.py",
    ];

    private static readonly string[] Modules =
    [
        "pkg.util", "util", ".util", "..core.base", ".", "..", "./auth/jwt", "../lib/util.js", "./auth", "os.path", "os",
        "github.com/acme/api/pkg/auth", "Acme.Auth", "include/util.h", "requests.models", "requests", "b.c", "c/d", "'pkg.util'",
        "std::collections", "  pkg.core  ", "core.base", "a.b.c.d", "auth",
    ];

    private static readonly string[] FromPaths = ["src/main.py", "src/pkg/views.py", "pkg/sub/views.py", "web/src/app.ts", "main.go", "top.py", "a/b/x.py"];

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void MatchingImports_EveryImportAndFile_SameCandidatesAsPerCandidateMatch()
    {
        var rows = new List<SymbolRow>();
        foreach (var repository in new[] { "r", "other" })
        {
            foreach (var path in CandidatePaths)
            {
                var module = ModulePaths.StripExtension(path).Replace('/', '.');
                rows.Add(new SymbolRow(repository, path, module + ".helper", "helper", SymbolKind.Function, 1, 2, null));
                rows.Add(new SymbolRow(repository, path, "pkg.util.helper", "helper", SymbolKind.Function, 3, 4, null));
                rows.Add(new SymbolRow(repository, path, "helper", "helper", SymbolKind.Function, 5, 6, null));
            }
        }

        var set = new CandidateSet(rows);
        var checkedPairs = 0;
        foreach (var fromRepository in new[] { "r", "other", "third" })
        {
            foreach (var fromPath in FromPaths)
            {
                foreach (var module in Modules)
                {
                    var import = new ImportRow(module, null, ModulePaths.Prepare(module, fromPath));
                    var expected = Enumerable.Range(0, rows.Count)
                        .Where(i => ModulePaths.Matches(module, fromRepository, fromPath, rows[i].Repository, rows[i].Path, rows[i].QualifiedName))
                        .ToList();

                    Assert.Equal(expected, set.MatchingImports([import], fromRepository));
                    checkedPairs += expected.Count;
                }

                var all = Modules.Select(m => new ImportRow(m, null, ModulePaths.Prepare(m, fromPath))).ToList();
                var expectedAny = Enumerable.Range(0, rows.Count)
                    .Where(i => Modules.Any(m => ModulePaths.Matches(m, fromRepository, fromPath, rows[i].Repository, rows[i].Path, rows[i].QualifiedName)))
                    .ToList();
                Assert.Equal(expectedAny, set.MatchingImports(all, fromRepository));
            }
        }

        Assert.True(checkedPairs > 500, $"the fixture should produce many matches (got {checkedPairs})");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Narrow_SegmentsAndAcceptedSets_SameAsFilteringChosen()
    {
        string?[] parents = [null, "Session", "requests.sessions.Session", "session", "Adapter", "a.Adapter", "SESSION", "x.y"];
        var rows = Enumerable.Range(0, 40)
            .Select(i => new SymbolRow(i % 2 == 0 ? "r" : "o", $"f{i % 5}.py", $"q{i}", "send", SymbolKind.Method, 1, 2, parents[i % parents.Length]))
            .ToList();
        var set = new CandidateSet(rows);
        List<int>[] chosenLists = [set.All, set.InRepository("r"), [1, 7, 8, 15, 33], [], [39]];
        List<int>[] acceptedLists = [[], [2, 3, 7], [.. Enumerable.Range(0, 40)], [15]];

        foreach (var chosen in chosenLists)
        {
            foreach (var segment in new[] { "Session", "session", "Adapter", "y", "missing", string.Empty })
            {
                foreach (var accepted in acceptedLists)
                {
                    var expected = chosen
                        .Where(i => string.Equals(rows[i].ParentSimpleName, segment, StringComparison.OrdinalIgnoreCase) || accepted.Contains(i))
                        .ToList();

                    Assert.Equal(expected, set.Narrow(chosen, segment, accepted));
                }
            }
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void InFileAndInRepository_MixedOrder_AscendingIndexesOfThatScope()
    {
        var rows = new List<SymbolRow>
        {
            new("a", "x.py", "f", "f", SymbolKind.Function, 1, 2, null),
            new("b", "x.py", "f", "f", SymbolKind.Function, 1, 2, null),
            new("a", "y.py", "f", "f", SymbolKind.Function, 1, 2, null),
            new("a", "x.py", "C.f", "f", SymbolKind.Method, 3, 4, "C"),
        };

        var set = new CandidateSet(rows);

        Assert.Equal([0, 3], set.InFile("a", "x.py"));
        Assert.Equal([0, 2, 3], set.InRepository("a"));
        Assert.Empty(set.InFile("c", "x.py"));
        Assert.Equal([0, 1, 2, 3], set.All);
    }
}
