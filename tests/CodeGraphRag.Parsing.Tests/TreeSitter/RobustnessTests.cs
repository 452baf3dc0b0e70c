using System.Text;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class RobustnessTests : IDisposable
{
    private const int Depth = 5000;
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    public static TheoryData<string, string> Fixtures() => new()
    {
        { "python", "jwt.py" },
        { "javascript", "api.js" },
        { "typescript", "service.ts" },
        { "tsx", "Profile.tsx" },
        { "go", "server.go" },
        { "java", "OrderService.java" },
    };

    public static TheoryData<string> Languages() => [.. TreeSitterExtractor.SupportedLanguages];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Extract_TruncatedFile_CountsErrorsAndKeepsEarlierSymbols(string language, string fixture)
    {
        var text = Facts.Fixture(fixture);
        var full = _extractor.Extract(language, fixture, text, TestContext.Current.CancellationToken);
        var cut = text[..(text.Length * 2 / 3)];

        var facts = _extractor.Extract(language, fixture, cut, TestContext.Current.CancellationToken);

        Assert.True(facts.SyntaxErrors > 0, $"a file cut mid-declaration has syntax errors ({language})");
        Assert.Contains(facts.Symbols, s => full.Symbols.Any(f => f.Name == s.Name && f.StartLine == s.StartLine));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Extract_BinaryGarbageDecodedAsText_ReturnsWithoutThrowing(string language)
    {
        var bytes = new byte[16 * 1024];
        new Random(20261127).NextBytes(bytes);
        var asUtf8 = Encoding.UTF8.GetString(bytes);
        var asLatin1 = Encoding.Latin1.GetString(bytes);

        var utf8Facts = _extractor.Extract(language, "garbage.bin", asUtf8, TestContext.Current.CancellationToken);
        var latin1Facts = _extractor.Extract(language, "garbage.bin", asLatin1, TestContext.Current.CancellationToken);

        Assert.True(utf8Facts.SyntaxErrors > 0);
        Assert.True(latin1Facts.SyntaxErrors > 0);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Extract_DeeplyNestedExpression_ReturnsWithoutThrowing(string language)
    {
        var expression = new string('(', Depth) + "1" + new string(')', Depth);
        // One call per line, so none of them is a duplicate of another.
        var calls = string.Concat(Enumerable.Repeat("f(\n", Depth)) + "1" + new string(')', Depth);
        var source = language switch
        {
            "python" => $"def g():\n    x = {expression}\n    y = {calls}\n",
            "go" => $"package p\n\nfunc g() {{\n\tx := {expression}\n\ty := {calls}\n}}\n",
            "java" => $"class A {{ void g() {{ int x = {expression}; int y = {calls}; }} }}\n",
            "rust" => $"fn g() {{ let x = {expression}; let y = {calls}; }}\n",
            "c" or "cpp" => $"int g(void) {{ int x = {expression}; return {calls}; }}\n",
            "ruby" => $"def g\n  x = {expression}\n  {calls}\nend\n",
            "php" => $"<?php\nfunction g() {{ $x = {expression}; return {calls}; }}\n",
            _ => $"function g() {{ const x = {expression}; return {calls}; }}\n",
        };

        var facts = _extractor.Extract(language, "deep.src", source, TestContext.Current.CancellationToken);

        Assert.Contains(facts.Symbols, s => s.Name == "g");
        Assert.Equal(Depth, facts.Calls.Count(c => c.Name == "f"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Extract_EmptyText_ReturnsNoFacts(string language)
    {
        var facts = _extractor.Extract(language, "empty", string.Empty, TestContext.Current.CancellationToken);

        Assert.Empty(facts.Symbols);
        Assert.Empty(facts.Calls);
        Assert.Equal(0, facts.SyntaxErrors);
    }

    [Fact]
    public void Extract_ParseOverTimeBudget_ReturnsOneSyntaxErrorAndNoFacts()
    {
        using var impatient = new TreeSitterExtractor(TimeSpan.FromTicks(1));
        var source = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"def f{i}(x):\n    return g(x)\n"));

        var facts = impatient.Extract("python", "big.py", source, TestContext.Current.CancellationToken);
        var normal = _extractor.Extract("python", "big.py", source, TestContext.Current.CancellationToken);

        Assert.Equal(1, facts.SyntaxErrors);
        Assert.Empty(facts.Symbols);
        Assert.Equal(5_000, normal.Symbols.Count);
    }

    [Fact]
    public void Extract_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => _extractor.Extract("python", "a.py", "x = 1\n", cts.Token));
    }

    [Fact]
    public void Extract_UnknownLanguage_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => _extractor.Extract("cobol", "a.cbl", "x", TestContext.Current.CancellationToken));

        Assert.Contains("python", ex.Message, StringComparison.Ordinal);
    }
}
