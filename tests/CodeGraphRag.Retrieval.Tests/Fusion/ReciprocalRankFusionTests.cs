using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Fusion;
using CodeGraphRag.TestInfrastructure;
using CsCheck;

namespace CodeGraphRag.Retrieval.Tests.Fusion;

[Trait("Category", TestCategories.Unit)]
public sealed class ReciprocalRankFusionTests
{
    private static IReadOnlyList<ScoredChunk> List(params string[] ids) =>
        ids.Select((id, i) => new ScoredChunk(id, 10.0 - i)).ToList();

    [Fact]
    public void Fuse_TwoLists_MatchesHandComputedScores()
    {
        var dense = List("a", "b", "c");
        var lexical = List("c", "a", "d");

        var fused = ReciprocalRankFusion.Fuse([dense, lexical], k: 60);

        // a: 1/61 + 1/62; c: 1/63 + 1/61; b: 1/62; d: 1/63
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.ChunkId));
        Assert.Equal((1.0 / 61) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
        Assert.Equal(1.0 / 63, fused[3].Score, 12);
        Assert.Equal([1, 2], fused[0].Ranks);
        Assert.Equal([null, 3], fused[3].Ranks);
        Assert.Equal([null, 8.0], fused[3].RawScores);
    }

    [Fact]
    public void Fuse_Weights_ScaleEachListsContribution()
    {
        var fused = ReciprocalRankFusion.Fuse([List("a"), List("b")], k: 0, weights: [1.0, 3.0]);

        Assert.Equal(["b", "a"], fused.Select(f => f.ChunkId));
        Assert.Equal(3.0, fused[0].Score, 12);
        Assert.Equal(1.0, fused[1].Score, 12);
    }

    [Fact]
    public void Fuse_TiedScores_BreaksByBestRankThenListThenId()
    {
        // x and y tie (rank 1 in one list, absent from the other); z and w tie at rank 2.
        var fused = ReciprocalRankFusion.Fuse([List("y", "z"), List("x", "w")]);

        Assert.Equal(["y", "x", "z", "w"], fused.Select(f => f.ChunkId));
    }

    [Fact]
    public void Fuse_DuplicateInOneList_CountsBestRankOnce()
    {
        var fused = ReciprocalRankFusion.Fuse([List("a", "b", "a")], k: 0);

        Assert.Equal(2, fused.Count);
        Assert.Equal(1.0, fused[0].Score, 12);
        Assert.Equal([1], fused[0].Ranks);
    }

    [Fact]
    public void Fuse_MismatchedWeights_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([List("a")], weights: [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([List("a")], weights: [-1.0]));
    }

    [Fact]
    public void Fuse_RandomLists_IsSortedCompleteAndOrderIndependentOfDictionaryState()
    {
        var ids = Gen.Int[0, 30].Select(i => $"c{i}");
        var list = ids.List[0, 25].Select(l => (IReadOnlyList<ScoredChunk>)l.Select((id, i) => new ScoredChunk(id, -i)).ToList());
        Gen.Select(list, list).Sample((a, b) =>
        {
            var fused = ReciprocalRankFusion.Fuse([a, b]);
            var again = ReciprocalRankFusion.Fuse([a, b]);

            var distinct = a.Concat(b).Select(c => c.ChunkId).Distinct().Count();
            return fused.Count == distinct
                && fused.Zip(fused.Skip(1)).All(p => p.First.Score >= p.Second.Score)
                && fused.Select(f => f.ChunkId).SequenceEqual(again.Select(f => f.ChunkId));
        }, iter: 500);
    }
}
