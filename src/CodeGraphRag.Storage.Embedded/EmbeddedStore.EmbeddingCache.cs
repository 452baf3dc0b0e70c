using System.Text.Json;
using CodeGraphRag.Storage.Embedded.Internals;

namespace CodeGraphRag.Storage.Embedded;

/// <content>IEmbeddingCache: vectors by (model id, text hash).</content>
public sealed partial class EmbeddedStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default) =>
        RunAsync("EmbeddingCacheGet", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(modelId);
            ArgumentNullException.ThrowIfNull(textHashes);
            var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
            if (textHashes.Count == 0)
            {
                return (IReadOnlyDictionary<string, float[]>)result;
            }

            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                "SELECT text_hash, vector FROM embedding_cache WHERE model_id = $m AND text_hash IN (SELECT value FROM json_each($h))",
                ("$m", modelId),
                ("$h", JsonSerializer.Serialize(textHashes)));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result[reader.GetString(0)] = VectorCodec.FromBlob((byte[])reader.GetValue(1));
            }

            return result;
        });

    /// <inheritdoc/>
    public Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default) =>
        RunAsync("EmbeddingCachePut", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(modelId);
            ArgumentNullException.ThrowIfNull(entries);
            EnsureWritable("EmbeddingCachePut");
            if (entries.Count == 0)
            {
                return true;
            }

            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                using var command = Command(connection, transaction, "INSERT OR IGNORE INTO embedding_cache(model_id, text_hash, vector) VALUES ($m, $h, $v)");
                foreach (var (hash, vector) in entries)
                {
                    ArgumentNullException.ThrowIfNull(vector);
                    Bind(command, ("$m", modelId), ("$h", hash), ("$v", VectorCodec.ToBlob(vector)));
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return true;
        });
}
