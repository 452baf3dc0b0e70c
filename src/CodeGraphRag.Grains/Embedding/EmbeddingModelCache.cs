using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>
/// Remembers the embedder silos' model per silo, so indexers and query silos never load the model themselves, and
/// checks it against this silo's own configured model, whose vector space this silo's stores hold.
/// </summary>
public sealed class EmbeddingModelCache(IGrainFactory grains, IEmbedder local)
{
    private Task<EmbeddingModelInfo>? _model;

    /// <summary>The model the embedder silos run (asked once, then cached; a failed ask is retried next time).</summary>
    /// <exception cref="EmbeddingModelMismatchException">The embedder silos run another model than this silo's configured one.</exception>
    public Task<EmbeddingModelInfo> GetAsync()
    {
        var current = _model;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            current = AskAsync();
            _model = current;
        }

        return current;
    }

    private async Task<EmbeddingModelInfo> AskAsync()
    {
        var model = await grains.GetGrain<IEmbeddingGrain>(0).GetModelAsync();
        var expected = local.Model.Id;
        return string.Equals(model.Id, expected, StringComparison.Ordinal) ? model : throw EmbeddingModelMismatchException.Between(expected, model.Id);
    }
}
