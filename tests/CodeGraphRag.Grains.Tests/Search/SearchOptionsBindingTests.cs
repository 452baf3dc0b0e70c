using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Tests.Search;

public sealed class SearchOptionsBindingTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagGrains_SearchSectionSet_BoundIncludingTheGraphStage()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:Search:CandidatePool"] = "90",
            ["CodeGraphRag:Search:Graph:CalleeShare"] = "0.05",
            ["CodeGraphRag:Search:Graph:ExpandTop"] = "3",
            ["CodeGraphRag:Search:DropVersionListings"] = "false",
        });

        var options = provider.GetRequiredService<IOptions<SearchOptions>>().Value;

        Assert.Equal(90, options.CandidatePool);
        Assert.Equal(0.05, options.Graph.CalleeShare);
        Assert.Equal(3, options.Graph.ExpandTop);
        Assert.False(options.DropVersionListings);
        Assert.True(new SearchOptions().DropVersionListings);
        Assert.Equal(new SearchOptions().Graph.CallerShare, options.Graph.CallerShare);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void FusionWeights_PickedByQueryLength()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:Search:DenseWeight"] = "0.8",
            ["CodeGraphRag:Search:LongQueryDenseWeight"] = "0.25",
            ["CodeGraphRag:Search:LongQueryLexicalWeight"] = "2",
            ["CodeGraphRag:Search:Graph:LongQueryWords"] = "3",
        });

        var options = provider.GetRequiredService<IOptions<SearchOptions>>().Value;

        Assert.Equal([0.8, 1.0], options.FusionWeights(options.Graph.IsLongQuery("parse jwt")));
        Assert.Equal([0.25, 2.0], options.FusionWeights(options.Graph.IsLongQuery("where is the jwt parsed")));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ClassPriors_OneKeyConfigured_KeepsTheOtherDefaultsAndBadKeysFail()
    {
        using var provider = Services(new() { ["CodeGraphRag:Search:ClassPriors:Short:docs"] = "0.8", ["CodeGraphRag:Search:ClassPriors:CodeWhenOtherAsked"] = "1" });
        using var bad = Services(new()
        {
            ["CodeGraphRag:Search:ClassPriors:Long:changelog"] = "1.5",
            ["CodeGraphRag:Search:ClassPriors:Short:tests"] = "0.5",
            ["CodeGraphRag:Search:ClassPriors:CodeWhenOtherAsked"] = "-1",
        });

        var options = provider.GetRequiredService<IOptions<SearchOptions>>().Value;
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<SearchOptions>>().Value);

        var defaults = new ClassPriorOptions();
        Assert.Equal(0.8, options.ClassPriors.Short["docs"]);
        Assert.Equal(1, options.ClassPriors.CodeWhenOtherAsked);
        Assert.Equal(defaults.Short.Where(p => p.Key != "docs").OrderBy(p => p.Key), options.ClassPriors.Short.Where(p => p.Key != "docs").OrderBy(p => p.Key));
        Assert.Equal(defaults.Long.OrderBy(p => p.Key), options.ClassPriors.Long.OrderBy(p => p.Key));
        Assert.Equal(
            [
                "CodeGraphRag:Search:ClassPriors:Short:tests is not a file class; use one of code, test, docs, changelog, config, generated, example, benchmark.",
                "CodeGraphRag:Search:ClassPriors:Long:changelog must be between 0 and 1 (got 1.5).",
                "CodeGraphRag:Search:ClassPriors:CodeWhenOtherAsked must be between 0 and 1 (got -1).",
            ],
            error.Failures);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void MentionSettings_BoundAndOutOfRangeFail()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:Search:MentionWeight"] = "2", ["CodeGraphRag:Search:MentionDecay"] = "0.25",
        });
        using var bad = Services(new()
        {
            ["CodeGraphRag:Search:MentionDecay"] = "1.5",
            ["CodeGraphRag:Search:MaxFilesPerMention"] = "-1",
        });

        var options = provider.GetRequiredService<IOptions<SearchOptions>>().Value;
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<SearchOptions>>().Value);

        Assert.Equal([2.0, 0.5, 0.125], options.MentionWeights(3));
        Assert.Equal([1.0, 0.5], new SearchOptions().MentionWeights(2));
        Assert.Empty(options.MentionWeights(0));
        Assert.Equal(
            [
                "CodeGraphRag:Search:MentionDecay must be between 0 and 1 (got 1.5).",
                "CodeGraphRag:Search:MaxFilesPerMention must be between 0 and 100 (got -1).",
            ],
            error.Failures);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagGrains_NegativeFusionWeight_Fails()
    {
        using var provider = Services(new() { ["CodeGraphRag:Search:LongQueryLexicalWeight"] = "-1" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SearchOptions>>().Value);

        Assert.Equal(["CodeGraphRag:Search:LongQueryLexicalWeight must be between 0 and 100 (got -1)."], error.Failures);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagGrains_InvalidShareAndPool_OneFailurePerKey()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:Search:CandidatePool"] = "0",
            ["CodeGraphRag:Search:Graph:CallerShare"] = "1.5",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SearchOptions>>().Value);

        Assert.Equal(
            ["CodeGraphRag:Search:CandidatePool must be between 1 and 10000 (got 0).", "CodeGraphRag:Search:Graph:CallerShare must be between 0 and 1 (got 1.5)."],
            error.Failures);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddCodeGraphRagGrains().BuildServiceProvider();
    }
}
