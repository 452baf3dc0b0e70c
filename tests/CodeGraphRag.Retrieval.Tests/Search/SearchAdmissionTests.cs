using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SearchAdmissionTests
{
    private static readonly Dictionary<string, ChunkRecord> Records = new()
    {
        ["1"] = SearchScopeTests.Chunk("1"),
        ["2"] = SearchScopeTests.Chunk("2", fileClass: FileClass.Test),
        ["3"] = SearchScopeTests.Chunk("3"),
        ["4"] = SearchScopeTests.Chunk("4"),
    };

    private static readonly SearchScope NoTests = new("q", new ChunkFilter(null, null, null, ExcludedClasses: [FileClass.Test]));

    private static IReadOnlyList<GraphRankedHit> Ranked(params string[] ids) =>
        SearchAdmission.WithoutGraph([.. ids.Select((id, i) => new GraphCandidate(id, 1.0 / (i + 1), null, new Dictionary<string, double> { ["rrf"] = 1.0 / (i + 1) }))]);

    [Fact]
    public void WithoutGraph_KeepsTheOrder_EachHitItsOwnCandidate()
    {
        var ranked = Ranked("3", "1");

        Assert.Equal(["3", "1"], ranked.Select(h => h.ChunkId));
        Assert.All(ranked, h => Assert.True(h.IsCandidate && h.Related.Count == 0 && h.ReachedFrom is null));
    }

    [Fact]
    public void Admit_OutOfScopeAndUnknownChunks_AreSkipped_RanksFromOne()
    {
        var admitted = SearchAdmission.Admit(Ranked("2", "missing", "3", "1"), Records, NoTests, top: 10, files: false);

        Assert.Equal(["3", "1"], admitted.Select(h => h.ChunkId));
        Assert.Equal([1, 2], admitted.Select(h => h.Rank));
    }

    [Fact]
    public void Admit_StopsAtTop_UnlessFilesAggregateEveryChunk()
    {
        var hits = SearchAdmission.Admit(Ranked("1", "3", "4"), Records, NoTests, top: 2, files: false);
        var forFiles = SearchAdmission.Admit(Ranked("1", "3", "4"), Records, NoTests, top: 2, files: true);

        Assert.Equal(["1", "3"], hits.Select(h => h.ChunkId));
        Assert.Equal(["1", "3", "4"], forFiles.Select(h => h.ChunkId));
        Assert.Equal(["1", "3"], SearchAdmission.Top(forFiles, 2).Select(h => h.ChunkId));
        Assert.Same(hits, SearchAdmission.Top(hits, 2));
    }
}
