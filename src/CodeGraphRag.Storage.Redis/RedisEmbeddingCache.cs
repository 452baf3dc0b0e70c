using System.Runtime.InteropServices;
using CodeGraphRag.Abstractions.Embeddings;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis;

/// <summary>
/// The cluster-wide embedding cache: one Redis string per (model id, text hash) holding the vector as little-endian
/// float32, so identical chunks are embedded once across every silo, file and repository.
/// </summary>
/// <remarks>Entries are written with <c>SET NX</c>: an existing entry is never overwritten, matching the embedded cache.</remarks>
public sealed class RedisEmbeddingCache(IConnectionMultiplexer redis, RedisOptions options) : IEmbeddingCache
{
    private const int BatchSize = 512;

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(textHashes);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var db = redis.GetDatabase();
        foreach (var batch in textHashes.Distinct(StringComparer.Ordinal).Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = await db.StringGetAsync([.. batch.Select(h => Key(modelId, h))]).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                if (values[i].HasValue)
                {
                    result[batch[i]] = Decode((byte[])values[i]!);
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(entries);
        var db = redis.GetDatabase();
        foreach (var batch in entries.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var writes = new List<Task>(batch.Length);
            foreach (var (hash, vector) in batch)
            {
                ArgumentNullException.ThrowIfNull(vector);
                writes.Add(db.StringSetAsync(Key(modelId, hash), Encode(vector), options.EmbeddingTimeToLive, When.NotExists));
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    private RedisKey Key(string modelId, string textHash) => $"{options.KeyPrefix}:emb:{modelId}:{textHash}";

    // CGR: the float32 bytes in machine order; every platform .NET runs this product on (x64, arm64) is little-endian.
    private static byte[] Encode(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    private static float[] Decode(byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A cached embedding has {bytes.Length} bytes, not a whole number of float32 values.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
