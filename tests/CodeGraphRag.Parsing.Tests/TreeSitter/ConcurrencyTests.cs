using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_ManyFilesInParallel_MatchesSequentialFacts()
    {
        (string Language, string Path, string Text)[] inputs =
        [
            ("python", "pkg/auth/jwt.py", Facts.Fixture("jwt.py")),
            ("javascript", "src/routes/api.js", Facts.Fixture("api.js")),
            ("typescript", "src/users/service.ts", Facts.Fixture("service.ts")),
            ("tsx", "web/components/Profile.tsx", Facts.Fixture("Profile.tsx")),
            ("go", "internal/auth/server.go", Facts.Fixture("server.go")),
            ("java", "com/acme/orders/OrderService.java", Facts.Fixture("OrderService.java")),
        ];
        var work = Enumerable.Range(0, 120).Select(i => inputs[i % inputs.Length]).ToArray();
        var sequential = work.Select(w => Render(_extractor.Extract(w.Language, w.Path, w.Text, TestContext.Current.CancellationToken))).ToArray();

        var parallel = new string[work.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken };
        Parallel.For(0, work.Length, options, i =>
            parallel[i] = Render(_extractor.Extract(work[i].Language, work[i].Path, work[i].Text, options.CancellationToken)));

        Assert.Equal(sequential, parallel);
        Assert.All(sequential, s => Assert.Contains(" Method ", s, StringComparison.Ordinal));
    }

    private static string Render(SyntaxFacts facts) => string.Join('\n',
        [.. Facts.Symbols(facts), .. Facts.Calls(facts), .. Facts.Imports(facts), .. Facts.Inheritance(facts), facts.SyntaxErrors.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
}
