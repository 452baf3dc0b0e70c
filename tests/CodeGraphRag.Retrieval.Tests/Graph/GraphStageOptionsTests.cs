using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Retrieval.Tests.Graph;

public sealed class GraphStageOptionsTests
{
    private static readonly string LongQuery = string.Join(' ', Enumerable.Repeat("word", 40));

    [Fact]
    public void ForQuery_ShortQuestion_EveryShareScaled()
    {
        var options = new GraphStageOptions { ShortQueryScale = 0.5 };

        var scaled = options.ForQuery(options.IsLongQuery("where do we validate tokens"));

        foreach (var relation in new[] { GraphRelation.Callee, GraphRelation.Caller, GraphRelation.Parent, GraphRelation.BaseType, GraphRelation.DerivedType, GraphRelation.Imports })
        {
            Assert.Equal(options.ShareOf(relation) * 0.5, scaled.ShareOf(relation), 12);
        }

        Assert.Equal(options.ExpandTop, scaled.ExpandTop);
        Assert.Equal(options.DepthDecay, scaled.DepthDecay);
        Assert.Equal(0.35, options.CalleeShare);
    }

    [Fact]
    public void ForQuery_LongProblemDescription_SharesAsSet()
    {
        var options = new GraphStageOptions();

        Assert.Same(options, options.ForQuery(options.IsLongQuery(LongQuery)));
        Assert.NotSame(options, options.ForQuery(options.IsLongQuery(LongQuery[..^5])));
    }

    [Fact]
    public void Validate_BadScaleOrWordCount_NamesEach()
    {
        var errors = new GraphStageOptions { ShortQueryScale = 2, LongQueryWords = -1 }.Validate();

        Assert.Equal(["ShortQueryScale must be between 0 and 1 (got 2).", "LongQueryWords must be >= 0 (got -1)."], errors);
    }
}
