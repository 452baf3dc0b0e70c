using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class InternalsTests
{
    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("./auth/jwt", "web/src/app.ts", "web/src/auth/jwt", true)]
    [InlineData("../lib/util.js", "web/src/app.ts", "web/lib/util", true)]
    [InlineData(".models", "pkg/views.py", "pkg/models", true)]
    [InlineData("..core.base", "pkg/sub/views.py", "pkg/core/base", true)]
    [InlineData("os.path", "a.py", "os/path", false)]
    [InlineData("std::collections", "src/main.rs", "std/collections", false)]
    [InlineData("github.com/acme/api/pkg/auth", "main.go", "github.com/acme/api/pkg/auth", false)]
    [InlineData("include/util.h", "src/a.c", "include/util", false)]
    public void Normalize_ModuleForms_PathLike(string module, string from, string expected, bool relative)
    {
        Assert.Equal((expected, relative), ModulePaths.Normalize(module, from));
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("pkg.util", "src/pkg/util.py", "pkg.util.helper", true)]
    [InlineData("Acme.Auth", "Anything/File.cs", "Acme.Auth.JwtValidator.Validate", true)]
    [InlineData("github.com/acme/api/pkg/auth", "pkg/auth/jwt.go", "auth.Verify", true)]
    [InlineData("pkg.util", "src/pkg/utility.py", "utility.helper", false)]
    [InlineData("Acme.Auth", "Billing/Invoice.cs", "Acme.Billing.Invoice.Validate", false)]
    public void Matches_ImportAgainstCandidate_ExpectedVerdict(string module, string candidatePath, string qualifiedName, bool expected)
    {
        Assert.Equal(expected, ModulePaths.Matches(module, "r", "app/main.py", "r", candidatePath, qualifiedName));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void BuildMatchExpression_HostileTerms_EveryTermQuotedAndOred()
    {
        var match = EmbeddedStore.BuildMatchExpression(["a\"b", "NEAR(", "*", "-", "OR", "  ", "x"]);

        Assert.Equal("\"a\"\"b\" OR \"NEAR(\" OR \"OR\" OR \"x\"", match);
        Assert.Null(EmbeddedStore.BuildMatchExpression(["*", "-", "\"", " "]));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ExactVectorSet_UpsertRemoveSearch_MatchesBruteForce()
    {
        var random = new Random(3);
        var set = new ExactVectorSet(8);
        var vectors = new Dictionary<ulong, float[]>();
        for (ulong key = 0; key < 100; key++)
        {
            vectors[key] = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            set.Upsert(key, vectors[key]);
        }

        for (ulong key = 0; key < 100; key += 3)
        {
            set.Remove(key);
            vectors.Remove(key);
        }

        var query = VectorCodec.Normalized(vectors[1]);
        var expected = vectors
            .Select(p => (p.Key, Score: System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, p.Value)))
            .OrderByDescending(p => p.Score).Take(5).Select(p => p.Key);

        Assert.Equal(expected, set.Search(query, 5).Select(r => r.Key));
        Assert.Equal(vectors.Count, set.Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ToSqliteGlob_Bracket_Escaped()
    {
        Assert.Equal("src/[[]id]/*.ts", FilterSql.ToSqliteGlob("src/[id]/*.ts"));
    }
}
