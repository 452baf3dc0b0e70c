using CodeGraphRag.Embeddings.Benchmarks;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Embeddings.Tests.Benchmarks;

[Trait("Category", TestCategories.Unit)]
public sealed class CpuFlopBoundTests
{
    [Fact]
    public void Detect_OnlyCpuInfo_UsesCpuMhzAndSaysSo()
    {
        using var dir = new TempDirectory();
        var cpuInfo = dir.Write("cpuinfo", "processor\t: 0\nmodel name\t: Test CPU\ncpu MHz\t\t: 2300.000\nflags\t\t: fpu\n");

        var bound = CpuFlopBound.Detect(cpuInfo, Path.Combine(dir.Path, "absent"));

        Assert.Equal(2.3, bound.ClockGHz, 6);
        Assert.Contains("cpu MHz", bound.ClockSource, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, bound.Cores);
        Assert.Equal(bound.Cores * 2 * bound.Lanes * 2 * 2.3, bound.PeakGflops, 6);
    }

    [Fact]
    public void Detect_CpufreqMaximum_IsPreferred()
    {
        using var dir = new TempDirectory();
        var cpuInfo = dir.Write("cpuinfo", "cpu MHz\t\t: 2300.000\n");
        var maxFreq = dir.Write("cpuinfo_max_freq", "3500000\n");

        var bound = CpuFlopBound.Detect(cpuInfo, maxFreq);

        Assert.Equal(3.5, bound.ClockGHz, 6);
        Assert.Equal(maxFreq, bound.ClockSource);
    }

    [Fact]
    public void Detect_ThisMachine_LanesFollowTheVectorIsa()
    {
        var bound = CpuFlopBound.Detect();

        var expected = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? 16
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? 8
            : 4;
        Assert.Equal(expected, bound.Lanes);
        Assert.Contains("GFLOP/s", bound.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FlopsPerToken_BundledShapeAt256_IsAbout23Point6Million()
    {
        var perToken = EncoderShape.Bundled.FlopsPerToken(256);

        // 2*6*(4*384^2 + 2*384*1536) + 2*6*2*256*384
        Assert.Equal(21_233_664 + 2_359_296, perToken, 3);
    }
}
