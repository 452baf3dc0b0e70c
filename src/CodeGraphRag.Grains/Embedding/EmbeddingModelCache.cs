using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>Remembers the embedder silos' model per silo, so indexers and query silos never load the model themselves.</summary>
public sealed class EmbeddingModelCache(IGrainFactory grains)
{
    private Task<EmbeddingModelInfo>? _model;

    /// <summary>The model the embedder silos run (asked once, then cached; a failed ask is retried next time).</summary>
    public Task<EmbeddingModelInfo> GetAsync()
    {
        var current = _model;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            current = grains.GetGrain<IEmbeddingGrain>(0).GetModelAsync();
            _model = current;
        }

        return current;
    }
}
