using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class RetrievalMetricsTests
{
    private const int Precision = 9;

    [Fact]
    public void Compute_TwoGoldFiles_MatchesHandComputedValues()
    {
        var m = RetrievalMetrics.Compute(["x.py", "a.py", "y.py", "b.py"], [new GoldItem("a.py"), new GoldItem("b.py")]);

        Assert.Equal(0, m.HitAt1);
        Assert.Equal(1, m.HitAt5);
        Assert.Equal(1, m.HitAt10);
        Assert.Equal(1.0, m.RecallAtK, Precision);
        Assert.Equal(0.5, m.Mrr, Precision);

        // DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3)
        Assert.Equal(((1 / Math.Log2(3)) + (1 / Math.Log2(5))) / (1 + (1 / Math.Log2(3))), m.NdcgAtK, Precision);
        Assert.Equal([new GoldRank("a.py", 2), new GoldRank("b.py", 4)], m.GoldRanks);
    }

    [Fact]
    public void Compute_NoGoldFound_AllZero()
    {
        var m = RetrievalMetrics.Compute(["x.py", "y.py"], [new GoldItem("a.py")]);

        Assert.Equal((0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (m.HitAt1, m.HitAt5, m.HitAt10, m.RecallAtK, m.Mrr, m.NdcgAtK));
        Assert.Equal([new GoldRank("a.py", null)], m.GoldRanks);
    }

    [Fact]
    public void Compute_DuplicateFilesInRanking_CountOnce()
    {
        var m = RetrievalMetrics.Compute(["x.py", "x.py", "./x.py", "a.py"], [new GoldItem("a.py")]);

        Assert.Equal(0.5, m.Mrr, Precision);
        Assert.Equal(2, m.GoldRanks[0].Rank);
    }

    [Fact]
    public void Compute_GoldBeyondK_CountsForMrrNotRecall()
    {
        var ranking = Enumerable.Range(0, 12).Select(i => $"f{i}.py").ToList();

        var m = RetrievalMetrics.Compute(ranking, [new GoldItem("f11.py"), new GoldItem("f0.py")], k: 10);

        Assert.Equal(0.5, m.RecallAtK, Precision);
        Assert.Equal(1.0, m.Mrr, Precision);
        Assert.Equal(1, m.HitAt1);
    }

    [Fact]
    public void Compute_GradedGold_UsesLinearGains()
    {
        var m = RetrievalMetrics.Compute(["b.py", "a.py"], [new GoldItem("a.py", Grade: 3), new GoldItem("b.py", Grade: 1), new GoldItem("c.py", Grade: 0)]);

        // DCG = 1/1 + 3/log2(3); IDCG = 3/1 + 1/log2(3); c.py is judged not relevant.
        Assert.Equal((1 + (3 / Math.Log2(3))) / (3 + (1 / Math.Log2(3))), m.NdcgAtK, Precision);
        Assert.Equal(2, m.GoldRanks.Count);
        Assert.Equal(1.0, m.RecallAtK, Precision);
    }

    [Fact]
    public void Compute_OnlyNonRelevantGold_Throws()
    {
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.Compute(["a.py"], [new GoldItem("a.py", Grade: 0)]));
    }

    [Fact]
    public void CollapseToFiles_ChunkPaths_KeepsBestRankOfEachFile()
    {
        Assert.Equal(["b.py", "a.py", "c.py"], RetrievalMetrics.CollapseToFiles(["b.py", "a.py", "b.py", "c.py", "a.py"]));
    }

    [Fact]
    public void JudgedOnly_UnjudgedFiles_AreRemoved()
    {
        var judged = RetrievalMetrics.JudgedOnly(["u.py", "a.py", "n.py"], [new GoldItem("a.py", Grade: 3), new GoldItem("n.py", Grade: 0)]);

        Assert.Equal(["a.py", "n.py"], judged);
    }

    [Fact]
    public void ComputeSpans_OverlapRequired_FindsSpanAtFirstOverlappingChunk()
    {
        RankedSpan[] chunks = [new("a.py", 1, 9), new("a.py", 10, 20), new("b.py", 1, 5)];
        GoldItem[] gold = [new("a.py", 15, 30, 2), new("b.py")];

        var m = RetrievalMetrics.ComputeSpans(chunks, gold);

        Assert.Equal([new GoldRank("a.py:15-30", 2), new GoldRank("b.py", 3)], m.GoldRanks);
        Assert.Equal(0.5, m.Mrr, Precision);
        Assert.Equal(((2 / Math.Log2(3)) + (1 / Math.Log2(4))) / (2 + (1 / Math.Log2(3))), m.NdcgAtK, Precision);
    }

    [Fact]
    public void Aggregate_TwoQueries_AveragesEachMetric()
    {
        var a = RetrievalMetrics.Compute(["a.py"], [new GoldItem("a.py")]);
        var b = RetrievalMetrics.Compute(["x.py", "a.py"], [new GoldItem("a.py")]);

        var s = RetrievalMetrics.Aggregate([a, b]);

        Assert.Equal(2, s.Queries);
        Assert.Equal(0.5, s.HitAt1, Precision);
        Assert.Equal(0.75, s.Mrr, Precision);
        Assert.Equal(1.0, s.HitAt5, Precision);
    }

    [Fact]
    public void Latency_HundredSamples_NearestRankPercentiles()
    {
        var durations = Enumerable.Range(1, 100).Reverse().Select(i => TimeSpan.FromMilliseconds(i)).ToList();

        var l = RetrievalMetrics.Latency(durations);

        Assert.Equal((100, 50.0, 95.0, 50.5), (l.Count, l.P50Ms, l.P95Ms, l.MeanMs));
        Assert.Equal(7.0, RetrievalMetrics.Latency([TimeSpan.FromMilliseconds(7)]).P95Ms);
    }
}
