using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SearchOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new SearchOptionsValidator().Validate(null, new SearchOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EachBadValue_FailsNamingItsFullKey()
    {
        var options = new SearchOptions { CandidatePool = 0, SymbolMentionWeight = 101, MentionDecay = 1.5, ChunksPerFile = -1 };
        options.Graph.ExpandTop = -1;

        var result = new SearchOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Search:CandidatePool ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Search:SymbolMentionWeight ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Search:MentionDecay ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Search:ChunksPerFile ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Search:Graph:ExpandTop", StringComparison.Ordinal));
        Assert.Equal(5, failures.Count);
    }

    [Fact]
    public void MentionWeights_DecayFromTheFirstNamedFile()
    {
        Assert.Equal([2.0, 1.0, 0.5], new SearchOptions { MentionWeight = 2 }.MentionWeights(3));
        Assert.Empty(new SearchOptions().MentionWeights(0));
    }
}
