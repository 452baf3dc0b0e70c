using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Files;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Files;

[Trait("Category", TestCategories.Unit)]
public sealed class FileRankingTests
{
    [Fact]
    public void Aggregate_SeveralMatchingChunks_BeatOneLuckyChunk_DecayWeighsTheRest()
    {
        var ranked = FileRanking.Aggregate(
            [("r", "lucky.py", 0.030), ("r", "retry.py", 0.029), ("r", "retry.py", 0.028), ("r", "retry.py", 0.020), ("r", "other.py", 0.010)],
            0.5);

        Assert.Equal(["retry.py", "lucky.py", "other.py"], ranked.Select(f => f.Path));
        Assert.Equal(0.029 + (0.5 * 0.028) + (0.25 * 0.020), ranked[0].Score, 12);
        Assert.Equal(["lucky.py", "retry.py", "other.py"], FileRanking.Aggregate([("r", "lucky.py", 0.030), ("r", "retry.py", 0.029), ("r", "retry.py", 0.028), ("r", "other.py", 0.010)], 0).Select(f => f.Path));
    }

    [Fact]
    public void Fuse_LexicalDocumentLiftsAFileAndBringsNewOnes_ClassFactorScalesItsShare()
    {
        IReadOnlyList<RankedFile> aggregated = [new("r", "a.py", 0.05), new("r", "b.py", 0.04)];
        IReadOnlyList<ScoredFile> lexical = [new("r", "b.py", 9), new("r", "CHANGELOG.md", 8, "markdown", FileClass.Changelog), new("r", "c.py", 7)];

        var fused = FileRanking.Fuse(aggregated, lexical, 60, 1, (_, path) => path == "CHANGELOG.md" ? 0.25 : 1);

        Assert.Equal(["b.py", "a.py", "c.py", "CHANGELOG.md"], fused.Select(f => f.Path));
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused[0].Score, 12);
        Assert.Equal(0.25 / 62, fused.Single(f => f.Path == "CHANGELOG.md").FromLexical, 12);
        Assert.Equal(["a.py", "b.py"], FileRanking.Fuse(aggregated, lexical, 60, 0, (_, _) => 1).Take(2).Select(f => f.Path));
    }
}
