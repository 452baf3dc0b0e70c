using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Grains.Telemetry;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>
/// Vectors for document texts by embedding key: the content-addressed cache first, then the embedding grain for the
/// misses (in requests of a bounded size, the longest texts together so a request pads little), whose vectors are cached.
/// </summary>
public sealed class DocumentEmbedding(IGrainFactory grains, IEmbeddingCache cache, EmbeddingCallOptions calls, TimeProvider time)
{
    /// <summary>
    /// Only what the cache holds for <paramref name="keys"/>. Hits are counted; misses are not, because the keys missed
    /// are looked up again by the <see cref="EmbedAsync"/> that embeds them (each embedded text counts as one miss).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, float[]>> CachedAsync(string modelId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = await cache.GetManyAsync(modelId, keys, cancellationToken);
        PipelineMetrics.CacheLookup(found.Count, 0);
        return found;
    }

    /// <summary>
    /// A vector for every key of <paramref name="texts"/> (embedding key to the text embedded), and how many were embedded
    /// (cache misses). At most <paramref name="inFlight"/> requests of <paramref name="requestSize"/> texts run at once.
    /// </summary>
    public async Task<(Dictionary<string, float[]> Vectors, int Embedded)> EmbedAsync(
        string modelId, IReadOnlyDictionary<string, string> texts, int requestSize, int inFlight, CancellationToken cancellationToken)
    {
        var found = await cache.GetManyAsync(modelId, texts.Keys.ToList(), cancellationToken);
        PipelineMetrics.CacheLookup(found.Count, texts.Count - found.Count);
        var result = new Dictionary<string, float[]>(found, StringComparer.Ordinal);
        // Longest first: each request holds texts of similar length, so the model pads little within a batch.
        var missing = texts.Keys.Where(k => !result.ContainsKey(k)).OrderByDescending(k => texts[k].Length).ThenBy(k => k, StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return (result, 0);
        }

        var embedder = grains.GetGrain<IEmbeddingGrain>(0);
        var fresh = new List<KeyValuePair<string, float[]>>(missing.Count);
        foreach (var group in missing.Chunk(Math.Max(1, requestSize)).Chunk(Math.Max(1, inFlight)))
        {
            var answers = await Task.WhenAll(group.Select(slice => EmbeddingCalls.EmbedAsync(
                embedder, slice.Select(k => texts[k]).ToList(), EmbeddingPurpose.Document, modelId, calls, time, cancellationToken)));
            foreach (var (slice, vectors) in group.Zip(answers))
            {
                fresh.AddRange(slice.Zip(vectors, (key, vector) => new KeyValuePair<string, float[]>(key, vector)));
            }
        }

        foreach (var (key, vector) in fresh)
        {
            result[key] = vector;
        }

        await cache.PutManyAsync(modelId, fresh, cancellationToken);
        return (result, missing.Count);
    }
}
