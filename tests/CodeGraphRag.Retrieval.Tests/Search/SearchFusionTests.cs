using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SearchFusionTests
{
    private static SearchPlan Plan(bool longQuery = false, bool showRaw = true) =>
        new("q", 60, longQuery, true, true, true, true, false, false, showRaw, null);

    private static List<ScoredChunk> List(params string[] ids) => [.. ids.Select((id, i) => new ScoredChunk(id, 10 - i))];

    [Fact]
    public void Fuse_Breakdown_NamesTheListsEachCandidateCameFrom()
    {
        var symbols = new SymbolLists([List("s")], [1.0]);

        var fused = SearchFusion.Fuse(Plan(), new SearchOptions(), List("d"), List("l", "d"), [List("m", "l")], symbols).ToDictionary(c => c.ChunkId);

        Assert.Equal(["dense", "lexical", "rrf"], fused["d"].Scores!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["lexical", "mention", "rrf"], fused["l"].Scores!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(10, fused["m"].Scores!["mention"]);
        Assert.Equal(["rrf", "symbol"], fused["s"].Scores!.Keys.Order(StringComparer.Ordinal));
        Assert.All(fused.Values, c => Assert.Null(c.Symbol));
    }

    [Fact]
    public void Fuse_RawScoresHidden_KeepsOnlyTheFusedScore()
    {
        var fused = SearchFusion.Fuse(Plan(showRaw: false), new SearchOptions(), List("d"), List("l"), [List("m")], SymbolLists.None);

        Assert.All(fused, c => Assert.Equal(["rrf"], c.Scores!.Keys));
        Assert.All(fused, c => Assert.Equal(c.Score, c.Scores!["rrf"]));
    }

    [Fact]
    public void Fuse_LongQuery_UsesTheLongQueryWeights()
    {
        var options = new SearchOptions { LongQueryLexicalWeight = 3 };

        var shortQuery = SearchFusion.Fuse(Plan(), options, List("d"), List("l"), [], SymbolLists.None);
        var longQuery = SearchFusion.Fuse(Plan(longQuery: true), options, List("d"), List("l"), [], SymbolLists.None);

        Assert.Equal(["d", "l"], shortQuery.Select(c => c.ChunkId));
        Assert.Equal(["l", "d"], longQuery.Select(c => c.ChunkId));
        Assert.Equal(3 * longQuery[1].Score, longQuery[0].Score, 12);
    }

    [Fact]
    public void Fuse_NamedFiles_WeighDecayingByPosition()
    {
        var fused = SearchFusion.Fuse(Plan(), new SearchOptions { RrfK = 0 }, [], [], [List("first"), List("second")], SymbolLists.None);

        Assert.Equal(["first", "second"], fused.Select(c => c.ChunkId));
        Assert.Equal(1.0, fused[0].Score, 12);
        Assert.Equal(0.5, fused[1].Score, 12);
    }
}
