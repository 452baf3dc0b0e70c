using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace CodeGraphRag.Embeddings.Benchmarks;

/// <summary>
/// The fp32 FLOP bound of this CPU: cores x 2 FMA units x vector lanes x 2 FLOP (multiply + add) x clock.
/// </summary>
/// <param name="Isa">The widest fp32 FMA instruction set detected (<c>AVX-512F</c>, <c>AVX2+FMA</c> or <c>128-bit</c>).</param>
/// <param name="Lanes">fp32 lanes per vector: 16, 8 or 4.</param>
/// <param name="Cores">Logical processors available to this process.</param>
/// <param name="ClockGHz">Clock used for the bound.</param>
/// <param name="ClockSource">Where the clock came from (file and field), or that it is assumed.</param>
public sealed record CpuFlopBound(string Isa, int Lanes, int Cores, double ClockGHz, string ClockSource)
{
    private const string CpuInfoPath = "/proc/cpuinfo";
    private const string MaxFreqPath = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";

    /// <summary>FMA units per core assumed by the bound.</summary>
    public const int FmaUnits = 2;

    /// <summary>Peak fp32 GFLOP/s.</summary>
    public double PeakGflops => Cores * FmaUnits * Lanes * 2.0 * ClockGHz;

    /// <summary>Detects the ISA, the core count and the clock of this machine.</summary>
    public static CpuFlopBound Detect() => Detect(CpuInfoPath, MaxFreqPath);

    /// <summary>Detects with the clock read from the given files (cpufreq's maximum first, then cpuinfo's <c>cpu MHz</c>).</summary>
    public static CpuFlopBound Detect(string cpuInfoPath, string maxFreqPath)
    {
        var (isa, lanes) = Avx512F.IsSupported ? ("AVX-512F", 16)
            : Avx2.IsSupported && Fma.IsSupported ? ("AVX2+FMA", 8)
            : ("128-bit", 4);
        var (clock, source) = ReadClock(cpuInfoPath, maxFreqPath);
        return new CpuFlopBound(isa, lanes, Environment.ProcessorCount, clock, source);
    }

    /// <summary>One line naming every input of the bound, for benchmark output.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Cores} cores x {FmaUnits} FMA x {Lanes} fp32 lanes ({Isa}) x 2 FLOP x {ClockGHz:F2} GHz ({ClockSource}) = {PeakGflops:F1} GFLOP/s");

    private static (double GHz, string Source) ReadClock(string cpuInfoPath, string maxFreqPath)
    {
        try
        {
            if (File.Exists(maxFreqPath)
                && double.TryParse(File.ReadAllText(maxFreqPath).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var khz)
                && khz > 0)
            {
                return (khz / 1e6, $"{maxFreqPath}");
            }

            if (File.Exists(cpuInfoPath))
            {
                foreach (var line in File.ReadLines(cpuInfoPath))
                {
                    if (!line.StartsWith("cpu MHz", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && double.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz) && mhz > 0)
                    {
                        return (mhz / 1e3, $"{cpuInfoPath} 'cpu MHz'");
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return (3.0, "assumed 3.0 GHz: no cpufreq or /proc/cpuinfo clock readable");
    }
}
