using System.Diagnostics;
using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Embeddings.Benchmarks;

/// <summary>Measures embedding throughput against the CPU's FLOP bound (for <c>cgr bench</c>).</summary>
public static class EmbeddingThroughput
{
    /// <summary>
    /// Embeds a warm-up sample, then times one <see cref="IEmbedder.EmbedAsync"/> of all <paramref name="texts"/> as
    /// documents, and counts the useful FLOPs of each text from its token count.
    /// </summary>
    /// <param name="embedder">The embedder to measure.</param>
    /// <param name="texts">Realistic chunks (mixed lengths).</param>
    /// <param name="shape">Encoder size; <see cref="EncoderShape.Bundled"/> by default.</param>
    /// <param name="bound">CPU bound; detected by default.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    public static async Task<EmbeddingThroughputResult> MeasureAsync(
        IEmbedder embedder,
        IReadOnlyList<string> texts,
        EncoderShape? shape = null,
        CpuFlopBound? bound = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfZero(texts.Count);
        shape ??= EncoderShape.Bundled;
        bound ??= CpuFlopBound.Detect();

        var window = embedder.Model.MaxTokens;
        long tokens = 0;
        double flops = 0;
        foreach (var text in texts)
        {
            var count = embedder.CountTokens(text, window - 2) + 2;
            tokens += count;
            flops += shape.FlopsPerText(count);
        }

        var warmUp = texts.Take(Math.Min(16, texts.Count)).ToArray();
        await embedder.EmbedAsync(warmUp, EmbeddingPurpose.Document, cancellationToken).ConfigureAwait(false);

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var vectors = await embedder.EmbedAsync(texts, EmbeddingPurpose.Document, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new EmbeddingThroughputResult(texts.Count, tokens, elapsed, flops / elapsed.TotalSeconds / 1e9, bound, cpu) { Vectors = vectors };
    }
}
