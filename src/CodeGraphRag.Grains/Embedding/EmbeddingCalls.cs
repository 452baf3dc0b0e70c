using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Grains.Telemetry;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>Calls to the embedding grain with a bounded wait per attempt (<see cref="EmbeddingCallOptions"/>).</summary>
public static class EmbeddingCalls
{
    /// <summary>
    /// Embeds <paramref name="texts"/> with the model <paramref name="modelId"/>, waiting at most the purpose's timeout for each of <see cref="EmbeddingCallOptions.Attempts"/>
    /// calls. A call given up on is left to Orleans (its answer, if one comes, is dropped).
    /// </summary>
    /// <exception cref="EmbedderTimeoutException">No attempt answered in time.</exception>
    public static async Task<float[][]> EmbedAsync(
        IEmbeddingGrain embedder, IReadOnlyList<string> texts, EmbeddingPurpose purpose, string modelId, EmbeddingCallOptions options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var timeout = purpose == EmbeddingPurpose.Query ? options.QueryTimeout : options.DocumentTimeout;
        var attempts = Math.Max(1, options.Attempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await embedder.EmbedAsync(texts, purpose, modelId, cancellationToken).WaitAsync(timeout, time, cancellationToken);
            }
            catch (TimeoutException) when (!cancellationToken.IsCancellationRequested && attempt < attempts)
            {
                PipelineMetrics.EmbeddingCallTimedOut(purpose == EmbeddingPurpose.Query ? "query" : "document");
            }
            catch (TimeoutException ex) when (!cancellationToken.IsCancellationRequested)
            {
                PipelineMetrics.EmbeddingCallTimedOut(purpose == EmbeddingPurpose.Query ? "query" : "document");
                throw new EmbedderTimeoutException(
                    $"the embedder did not answer a {purpose.ToString().ToLowerInvariant()} embedding of {texts.Count} text(s) in " +
                    $"{attempts} attempt(s) of {timeout} ({EmbeddingCallOptions.SectionName}); retry, or check the embedder silos", ex);
            }
        }
    }
}
