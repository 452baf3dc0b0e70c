using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class EvalSplitTests
{
    private static EvalQuery Query(string id) => new(id, "q", [new GoldItem("a.py")]);

    [Fact]
    public void Split_ThousandIds_DevShareNearFractionAndPartsDisjoint()
    {
        var queries = Enumerable.Range(0, 1000).Select(i => Query($"q{i}")).ToList();

        var split = EvalSplit.Split(queries, 0.3);

        Assert.InRange(split.Dev.Count, 250, 350);
        Assert.Equal(1000, split.Dev.Count + split.Test.Count);
        Assert.Empty(split.Dev.Select(q => q.Id).Intersect(split.Test.Select(q => q.Id)));
    }

    [Fact]
    public void Assign_DependsOnIdAlone_NotOnTheRestOfTheSet()
    {
        var small = EvalSplit.Split([Query("psf__requests-2317"), Query("x")]);
        var large = EvalSplit.Split(Enumerable.Range(0, 50).Select(i => Query($"y{i}")).Append(Query("psf__requests-2317")));

        Assert.Equal(
            small.Dev.Any(q => q.Id == "psf__requests-2317"),
            large.Dev.Any(q => q.Id == "psf__requests-2317"));
    }

    [Fact]
    public void Assign_Extremes_AllTestOrAllDev()
    {
        Assert.Equal(EvalSplitPart.Test, EvalSplit.Assign("anything", 0));
        Assert.Equal(EvalSplitPart.Dev, EvalSplit.Assign("anything", 1));
    }
}
