using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SearchPlanTests
{
    private static SearchPlan Plan(SearchRequest request, SearchOptions? options = null) =>
        SearchPlan.For(request, SearchScope.Resolve(request), options ?? new SearchOptions());

    [Fact]
    public void For_Pool_IsTheConfiguredPoolOrThreeTimesTheHitsAskedFor()
    {
        Assert.Equal(60, Plan(new SearchRequest("retry", Top: 10)).Pool);
        Assert.Equal(90, Plan(new SearchRequest("retry", Top: 30)).Pool);
    }

    [Theory]
    [InlineData(SearchMode.Dense, true, false, false, false)]
    [InlineData(SearchMode.Lexical, false, true, false, false)]
    [InlineData(SearchMode.Hybrid, true, true, true, false)]
    [InlineData(SearchMode.HybridGraph, true, true, true, true)]
    public void For_Mode_ChoosesTheLists(SearchMode mode, bool dense, bool lexical, bool mentions, bool graph)
    {
        var plan = Plan(new SearchRequest("retry", Mode: mode));

        Assert.Equal(dense, plan.Dense);
        Assert.Equal(lexical, plan.Lexical);
        Assert.Equal(mentions, plan.PathMentions);
        Assert.Equal(mentions, plan.SymbolMentions);
        Assert.Equal(graph, plan.Graph);
    }

    [Fact]
    public void For_ZeroMentionWeights_TurnTheMentionListsOff()
    {
        var plan = Plan(new SearchRequest("retry"), new SearchOptions { MentionWeight = 0, SymbolMentionWeight = 0 });

        Assert.False(plan.PathMentions);
        Assert.False(plan.SymbolMentions);
    }

    [Fact]
    public void For_FileLexical_OnlyForFileResultsOutsideDenseWithAWeight()
    {
        var weighted = new SearchOptions { FileLexicalWeight = 0.5 };

        Assert.False(Plan(new SearchRequest("retry", Files: true)).FileLexical);
        Assert.True(Plan(new SearchRequest("retry", Files: true), weighted).FileLexical);
        Assert.False(Plan(new SearchRequest("retry", Files: false), weighted).FileLexical);
        Assert.False(Plan(new SearchRequest("retry", Mode: SearchMode.Dense, Files: true), weighted).FileLexical);
    }

    [Fact]
    public void For_RawScores_HiddenUnderAccessControlUnlessAsked()
    {
        Assert.True(Plan(new SearchRequest("retry")).ShowRawScores);
        Assert.False(Plan(new SearchRequest("retry", AllowedRepositories: ["a"])).ShowRawScores);
        Assert.True(Plan(new SearchRequest("retry", AllowedRepositories: ["a"], ShowRawScores: true)).ShowRawScores);
    }

    [Fact]
    public void For_LongQuery_SearchesWithoutVersionListingsWhenSet()
    {
        var words = string.Join(' ', Enumerable.Range(0, 45).Select(i => $"word{i}"));
        var query = $"{words}\nnumpy 1.26.4\npandas 2.2.1\nscipy 1.13.0";

        var plan = Plan(new SearchRequest(query));
        var kept = Plan(new SearchRequest(query), new SearchOptions { DropVersionListings = false });

        Assert.True(plan.LongQuery);
        Assert.DoesNotContain("numpy", plan.Searched, StringComparison.Ordinal);
        Assert.Contains("word44", plan.Searched, StringComparison.Ordinal);
        Assert.Contains("numpy", kept.Searched, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ShortQuery_SearchesItsTextAsIs()
    {
        var plan = Plan(new SearchRequest("retry repo:a numpy 1.26.4"));

        Assert.False(plan.LongQuery);
        Assert.Equal("retry numpy 1.26.4", plan.Searched);
    }

    [Fact]
    public void For_ClassFactors_FavourCodeUnlessThePathIsFiltered()
    {
        var plan = Plan(new SearchRequest("where is the retry policy"));

        Assert.NotNull(plan.ClassFactors);
        Assert.True(plan.ClassFactors[(int)FileClass.Code] > plan.ClassFactors[(int)FileClass.Changelog]);
        Assert.Null(Plan(new SearchRequest("where is the retry policy path:src/*")).ClassFactors);
    }
}
