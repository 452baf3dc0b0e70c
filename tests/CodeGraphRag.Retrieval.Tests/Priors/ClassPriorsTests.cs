using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Priors;

[Trait("Category", TestCategories.Unit)]
public sealed class ClassPriorsTests
{
    private static readonly Dictionary<string, FileClass> Classes = new()
    {
        ["changelog"] = FileClass.Changelog, ["code"] = FileClass.Code, ["docs"] = FileClass.Docs, ["test"] = FileClass.Test,
    };

    // A changelog repeats the feature's words and fuses first; code, docs and tests follow.
    private static List<GraphCandidate> Fused() =>
        [new("changelog", 0.040, null), new("code", 0.030, null), new("docs", 0.029, null), new("test", 0.028, null)];

    private static List<string> Ranked(string text, ChunkFilter filter, bool longQuery = false) =>
        ClassPriors.Apply(Fused(), id => Classes[id], ClassPriors.For(text, longQuery, filter, new ClassPriorOptions()))
            .Select(c => c.ChunkId).ToList();

    [Fact]
    public void Apply_CodeFirstByDefault_TheClassAskedForLeadsWhenAsked()
    {
        Assert.Equal(["code", "docs", "test", "changelog"], Ranked("where is the retry policy", ChunkFilter.None));
        Assert.Equal("changelog", Ranked("release notes of the retry policy", ChunkFilter.None)[0]);
        Assert.Equal("docs", Ranked("docs for the retry policy", ChunkFilter.None)[0]);
        Assert.Equal("test", Ranked("tests of the retry policy", ChunkFilter.None)[0]);
        Assert.Equal("test", Ranked("retry policy", new ChunkFilter(null, null, null, [FileClass.Test]))[0]);
        Assert.Equal(["changelog", "docs", "code", "test"], Ranked("retry policy", new ChunkFilter(null, ["markdown"], null)));
    }

    [Fact]
    public void For_PathFilterOrAllOnes_LeavesScoresAlone()
    {
        Assert.Null(ClassPriors.For("tests of the retry policy", false, new ChunkFilter(null, null, "src/*"), new ClassPriorOptions()));
        var ones = new ClassPriorOptions { Short = [], Long = [] };
        Assert.Null(ClassPriors.For("retry policy", false, ChunkFilter.None, ones));
        Assert.Equal(Fused(), ClassPriors.Apply(Fused(), id => Classes[id], null));
    }

    [Fact]
    public void Apply_LongQuery_IgnoresQuestionWordsAndNotesTheFactor()
    {
        var options = new ClassPriorOptions();
        var factors = ClassPriors.For("the tests fail when the retry policy " + string.Join(' ', Enumerable.Repeat("word", 40)), true, ChunkFilter.None, options);
        var ranked = ClassPriors.Apply(Fused(), id => Classes[id], factors);

        Assert.Equal("code", ranked[0].ChunkId);
        var test = Assert.Single(ranked, c => c.ChunkId == "test");
        Assert.Equal(options.Long["test"], test.Scores!["class_prior"]);
        Assert.Equal(0.028 * options.Long["test"], test.Score, 12);
        Assert.False(ranked.Single(c => c.ChunkId == "code").Scores?.ContainsKey("class_prior") ?? false);
    }
}
