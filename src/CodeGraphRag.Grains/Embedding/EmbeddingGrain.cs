using CodeGraphRag.Abstractions.Telemetry;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Grains.Telemetry;
using Orleans.Concurrency;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>
/// Stateless worker in front of the silo's <see cref="IEmbedder"/>. The embedder batches across all callers on the
/// silo, so many small requests from file grains become full model batches.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class EmbeddingGrain(IEmbedder embedder) : Grain, IEmbeddingGrain
{
    Task<EmbeddingModelInfo> IEmbeddingGrain.GetModelAsync() => Task.FromResult(embedder.Model);

    async Task<float[][]> IEmbeddingGrain.EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, string modelId, CancellationToken cancellationToken)
    {
        if (!string.Equals(modelId, embedder.Model.Id, StringComparison.Ordinal))
        {
            throw EmbeddingModelMismatchException.Between(modelId, embedder.Model.Id);
        }

        using var measured = PipelineMetrics.EmbeddingRequest(texts.Count);
        using var activity = CodeGraphRagTelemetry.Source.StartActivity("cgr.embed");
        activity?.SetTag("cgr.texts", texts.Count);
        activity?.SetTag("cgr.purpose", purpose.ToString());
        return await embedder.EmbedAsync(texts, purpose, cancellationToken);
    }
}
