using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Languages;
using CodeGraphRag.Parsing.Roslyn;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Parsing.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class CodeParserTests
{
    [Fact]
    public void Parse_CSharpFile_ReturnsRoslynFactsAndSymbolChunks()
    {
        var parser = Parser(new RoslynExtractor());

        var parsed = parser.Parse("src/Auth/JwtValidator.cs", Fixture.Read("JwtValidator.cs"), TestContext.Current.CancellationToken);

        Assert.Equal("csharp", parsed.Language);
        Assert.Contains(parsed.Symbols, s => s.QualifiedName == "Acme.Auth.JwtValidator.Validate`2");
        Assert.Contains(parsed.Calls, c => c.Name == "GetUtcNow");
        Assert.Equal(4, parsed.Imports.Count);
        Assert.Equal(2, parsed.Inheritance.Count);
        Assert.Contains(parsed.Chunks, c => c.Kind == ChunkKind.Function);
        Assert.Equal(0, parsed.SyntaxErrors);
    }

    [Fact]
    public void Parse_UnknownExtension_ReturnsTextWindows()
    {
        var parser = Parser(new RoslynExtractor());
        var text = string.Join('\n', Enumerable.Range(1, 120).Select(i => $"entry {i}"));

        var parsed = parser.Parse("data/records.unknownext", text, TestContext.Current.CancellationToken);

        Assert.Equal("text", parsed.Language);
        Assert.Empty(parsed.Symbols);
        Assert.True(parsed.Chunks.Count >= 3);
        Assert.All(parsed.Chunks, c => Assert.Equal(ChunkKind.Window, c.Kind));
        Assert.Equal(1, parsed.Chunks[0].StartLine);
        Assert.Equal(120, parsed.Chunks[^1].EndLine);
    }

    [Fact]
    public void Parse_CodeLanguageWithoutExtractor_ReturnsWindows()
    {
        var parser = Parser(new RoslynExtractor());

        var parsed = parser.Parse("app/main.py", "import os\n\ndef main():\n    print(os.getcwd())\n", TestContext.Current.CancellationToken);

        Assert.Equal("python", parsed.Language);
        Assert.Equal((ChunkKind.Window, 1, 4), Assert.Single(parsed.Chunks.Select(c => (c.Kind, c.StartLine, c.EndLine))));
    }

    [Fact]
    public void Parse_ThrowingExtractor_FallsBackToWindowsAndCountsAnError()
    {
        var parser = Parser(new ThrowingExtractor());

        var parsed = parser.Parse("src/A.cs", "class A\n{\n    void M() { }\n}\n", TestContext.Current.CancellationToken);

        Assert.Equal("csharp", parsed.Language);
        Assert.Equal(1, parsed.SyntaxErrors);
        Assert.Empty(parsed.Symbols);
        Assert.Equal((ChunkKind.Window, 1, 4), Assert.Single(parsed.Chunks.Select(c => (c.Kind, c.StartLine, c.EndLine))));
    }

    [Fact]
    public void Parse_CancelledToken_Throws()
    {
        var parser = Parser(new RoslynExtractor());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => parser.Parse("a.cs", Fixture.Read("JwtValidator.cs"), cancelled.Token));
    }

    [Fact]
    public void GetVersion_Language_CombinesExtractorAndChunkerSettings()
    {
        var small = Parser(new RoslynExtractor(), new ChunkingOptions { MaxTokens = 200 });
        var large = Parser(new RoslynExtractor(), new ChunkingOptions { MaxTokens = 300 });

        Assert.StartsWith($"{RoslynExtractor.Version}+{Chunker.Version}/", small.GetVersion("csharp"), StringComparison.Ordinal);
        Assert.StartsWith($"windows+{Chunker.Version}/", small.GetVersion("markdown"), StringComparison.Ordinal);
        Assert.NotEqual(small.GetVersion("csharp"), large.GetVersion("csharp"));
    }

    [Fact]
    public void Constructor_TwoExtractorsForOneLanguage_FirstWins()
    {
        var parser = Parser(new RoslynExtractor(), new ChunkingOptions(), new ThrowingExtractor());

        var parsed = parser.Parse("a.cs", "class A { }", TestContext.Current.CancellationToken);

        Assert.Equal(0, parsed.SyntaxErrors);
        Assert.Single(parsed.Symbols);
    }

    private static CodeParser Parser(ISyntaxExtractor extractor, ChunkingOptions? options = null, params ISyntaxExtractor[] more) =>
        new(new LanguageRegistry(), [extractor, .. more], Options.Create(options ?? new ChunkingOptions()));

    private sealed class ThrowingExtractor : ISyntaxExtractor
    {
        public IReadOnlyCollection<string> Languages { get; } = ["csharp"];

        public string GetVersion(string language) => "throwing-1";

        public SyntaxFacts Extract(string language, string path, string text, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("extractor bug");
    }
}
