using System.Globalization;

namespace CodeGraphRag.Embeddings.Benchmarks;

/// <summary>What <see cref="EmbeddingThroughput.MeasureAsync"/> measured.</summary>
/// <param name="Chunks">Texts embedded in the timed run.</param>
/// <param name="Tokens">Their tokens as the model saw them ([CLS]/[SEP] included, after truncation).</param>
/// <param name="Elapsed">Wall time of the timed run.</param>
/// <param name="AchievedGflops">Useful model FLOPs (no padding) per second, in GFLOP/s.</param>
/// <param name="Bound">The CPU bound the ratio is taken against.</param>
/// <param name="ProcessCpuTime">CPU time this process used during the timed run (all threads).</param>
public sealed record EmbeddingThroughputResult(int Chunks, long Tokens, TimeSpan Elapsed, double AchievedGflops, CpuFlopBound Bound, TimeSpan ProcessCpuTime)
{
    /// <summary>The vectors of the timed run, one per text in order (for comparing precisions on the same texts).</summary>
    public IReadOnlyList<float[]> Vectors { get; init; } = [];

    /// <summary>Texts per second.</summary>
    public double ChunksPerSecond => Chunks / Elapsed.TotalSeconds;

    /// <summary>Tokens per second.</summary>
    public double TokensPerSecond => Tokens / Elapsed.TotalSeconds;

    /// <summary>The bound in GFLOP/s.</summary>
    public double BoundGflops => Bound.PeakGflops;

    /// <summary>Achieved over bound (0..1).</summary>
    public double RatioOfBound => AchievedGflops / Bound.PeakGflops;

    /// <summary>
    /// Share of the machine's cores this process got while timed (CPU time / wall time / cores); well below 1 means
    /// other processes competed for the CPU and the ratio to the bound understates the code.
    /// </summary>
    public double CpuShare => ProcessCpuTime.TotalSeconds / Elapsed.TotalSeconds / Bound.Cores;

    /// <summary>One summary line.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Chunks} chunks, {Tokens} tokens in {Elapsed.TotalSeconds:F2} s: {ChunksPerSecond:F1} chunks/s, {TokensPerSecond:F0} tokens/s, {AchievedGflops:F1} of {BoundGflops:F1} GFLOP/s ({RatioOfBound:P1} of bound), CPU share {CpuShare:P0}");
}
