using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.Tests.Chunking;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Parsing.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class ParsingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddCodeGraphRagParsing_WithoutConfiguration_ResolvesAWorkingParser()
    {
        using var provider = new ServiceCollection().AddCodeGraphRagParsing().BuildServiceProvider();

        var parser = provider.GetRequiredService<ICodeParser>();

        Assert.Equal("csharp", parser.Parse("A.cs", "class A { void M() { N(); } }", TestContext.Current.CancellationToken).Language);
        Assert.Contains(parser.Parse("a.py", "def f():\n    g()\n", TestContext.Current.CancellationToken).Symbols, s => s.Name == "f");
        Assert.Equal(["RoslynExtractor", "TreeSitterExtractor"], provider.GetServices<ISyntaxExtractor>().Select(e => e.GetType().Name).Order(StringComparer.Ordinal));
        Assert.Same(parser, provider.GetRequiredService<ICodeParser>());
    }

    [Fact]
    public void AddCodeGraphRagParsing_ConfigurationAndDelegate_DelegateRunsLast()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CodeGraphRag:Parsing:MaxTokens"] = "200",
                ["CodeGraphRag:Parsing:WindowLines"] = "30",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);

        using var provider = services.AddCodeGraphRagParsing(o => o.WindowLines = 20).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ChunkingOptions>>().Value;
        Assert.Equal((200, 20), (options.MaxTokens, options.WindowLines));
        Assert.Contains("/200/2/20/", provider.GetRequiredService<ICodeParser>().GetVersion("csharp"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeGraphRagParsing_InvalidOptions_FailNamingTheKeys()
    {
        using var provider = new ServiceCollection()
            .AddCodeGraphRagParsing(o => (o.MaxTokens, o.OverlapLines) = (4, 99))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ICodeParser>());

        Assert.Contains("CodeGraphRag:Parsing:MaxTokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeGraphRag:Parsing:OverlapLines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeGraphRagParsing_RegisteredTokenCounter_IsUsedForBudgets()
    {
        var counter = new WordTokenCounter();
        using var provider = new ServiceCollection()
            .AddSingleton<ITokenCounter>(counter)
            .AddCodeGraphRagParsing()
            .BuildServiceProvider();
        var parser = provider.GetRequiredService<ICodeParser>();

        parser.Parse("notes.md", "# Title\n\nSome text.\n", TestContext.Current.CancellationToken);

        Assert.True(counter.Calls > 0);
        Assert.EndsWith("/model", parser.GetVersion("markdown"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeGraphRagParsing_CalledTwiceOrAfterAnOverride_KeepsOneRegistrationEach()
    {
        var registry = new FixedRegistry();
        var services = new ServiceCollection().AddSingleton<ILanguageRegistry>(registry);

        using var provider = services.AddCodeGraphRagParsing().AddCodeGraphRagParsing().BuildServiceProvider();

        Assert.Same(registry, provider.GetRequiredService<ILanguageRegistry>());
        Assert.Equal(2, provider.GetServices<ISyntaxExtractor>().Count());
        Assert.Equal("markdown", provider.GetRequiredService<ICodeParser>().Parse("a.cs", "x", TestContext.Current.CancellationToken).Language);
    }

    private sealed class FixedRegistry : ILanguageRegistry
    {
        public string? Detect(string path) => "markdown";
    }
}
