using System.Runtime.InteropServices;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Storage.Redis.Internals;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis;

/// <summary>
/// The cluster-wide embedding cache: one Redis string per (model id, text hash) holding the vector as little-endian
/// float32, so identical chunks are embedded once across every silo, file and repository.
/// </summary>
/// <remarks>
/// Entries are written with <c>SET NX</c>: an existing entry is never overwritten, matching the embedded cache. Thread-safe;
/// the multiplexer is shared and not disposed by this class. A failed Redis request surfaces as
/// <see cref="RedisStoreException"/>; a stored value that is not whole float32s as <see cref="InvalidDataException"/>.
/// </remarks>
public sealed class RedisEmbeddingCache : IEmbeddingCache
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisOptions _options;

    /// <summary>Creates the cache over <paramref name="redis"/>.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public RedisEmbeddingCache(IConnectionMultiplexer redis, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new RedisOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RedisOptions), validation.Failures);
        }

        _redis = redis;
        _options = options;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisStoreException">A Redis request failed.</exception>
    public async Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(textHashes);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var db = _redis.GetDatabase();
        foreach (var batch in textHashes.Distinct(StringComparer.Ordinal).Chunk(Constants.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var keys = batch.Select(h => Key(modelId, h)).ToArray();
            RedisValue[] values;
            try
            {
                values = await db.StringGetAsync(keys).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                throw Failure(Constants.OperationGet, ex);
            }

            for (var i = 0; i < batch.Length; i++)
            {
                if (values[i].HasValue)
                {
                    result[batch[i]] = Decode(keys[i], (byte[])values[i]!);
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    /// <exception cref="RedisStoreException">A Redis request failed; entries of earlier batches may be stored.</exception>
    public async Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(entries);
        var db = _redis.GetDatabase();
        foreach (var batch in entries.Chunk(Constants.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var writes = new List<Task>(batch.Length);
            foreach (var (hash, vector) in batch)
            {
                ArgumentNullException.ThrowIfNull(vector);
                writes.Add(db.StringSetAsync(Key(modelId, hash), Encode(vector), _options.EmbeddingTimeToLive, When.NotExists));
            }

            try
            {
                await Task.WhenAll(writes).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                throw Failure(Constants.OperationPut, ex);
            }
        }
    }

    private RedisKey Key(string modelId, string textHash) => $"{_options.KeyPrefix}:{Constants.EmbeddingKeySegment}:{modelId}:{textHash}";

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or RedisTimeoutException or RedisCommandException;

    private RedisStoreException Failure(string operation, Exception ex) =>
        new(operation, RedisConnectionText.Endpoints(_redis), ex.Message, ex);

    // CGR: the float32 bytes in machine order; every platform .NET runs this product on (x64, arm64) is little-endian.
    private static byte[] Encode(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    private static float[] Decode(RedisKey key, byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"The cached embedding at '{key}' has {bytes.Length} bytes, not a whole number of float32 values.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
