using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class BootstrapCiTests
{
    [Fact]
    public void PairedDifference_KnownShift_IntervalContainsItAndExcludesZero()
    {
        var rng = new Random(42);
        var b = Enumerable.Range(0, 300).Select(_ => rng.NextDouble()).ToList();
        var a = b.Select(x => x + 0.1 + ((rng.NextDouble() - 0.5) * 0.2)).ToList();

        var ci = BootstrapCi.PairedDifference(a, b, 2000, new Random(7));

        Assert.InRange(0.1, ci.Lower, ci.Upper);
        Assert.True(ci.ExcludesZero);
        Assert.InRange(ci.MeanDifference, ci.Lower, ci.Upper);
        Assert.True(ci.Upper - ci.Lower < 0.05, $"interval {ci.Lower}..{ci.Upper} is too wide for 300 pairs");
    }

    [Fact]
    public void PairedDifference_NoDifference_IntervalContainsZero()
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, 200).Select(_ => rng.NextDouble()).ToList();
        var b = a.Select(x => x + ((rng.NextDouble() - 0.5) * 0.1)).ToList();

        var ci = BootstrapCi.PairedDifference(a, b, 2000, new Random(3));

        Assert.InRange(0.0, ci.Lower, ci.Upper);
        Assert.False(ci.ExcludesZero);
    }

    [Fact]
    public void PairedDifference_SameSeed_SameInterval()
    {
        double[] a = [1, 0, 1, 1, 0.5];
        double[] b = [0, 0, 1, 0.5, 0.5];

        Assert.Equal(BootstrapCi.PairedDifference(a, b, 500, new Random(9)), BootstrapCi.PairedDifference(a, b, 500, new Random(9)));
    }

    [Fact]
    public void PairedDifference_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => BootstrapCi.PairedDifference([1.0], [1.0, 2.0], 10, new Random(1)));
    }
}
