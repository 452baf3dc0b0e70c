using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus.Internals;

namespace CodeGraphRag.Storage.Milvus;

/// <content>IChunkIndex: per-file replacement by upsert and delete, removals by filter.</content>
public sealed partial class MilvusChunkIndex
{
    private static readonly string[] s_keyFields = [Constants.FieldId, Constants.FieldEmbeddingKey];
    private static readonly string[] s_vectorFields = [Constants.FieldId, Constants.FieldEmbedding];

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(path);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var stored = await StoredKeysAsync(repository, path, cancellationToken).ConfigureAwait(false);
        return stored.Where(p => !p.Value.StartsWith(ChunkRows.PendingPrefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads the file's stored ids and embedding keys, fetches the stored vectors of listed chunks that come without one,
    /// upserts every listed chunk in batches under the request limits, then deletes the file's other chunks. A failure part
    /// way leaves extra or stale rows that the next call for the file replaces.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// A chunk belongs to another file, ids repeat, a vector has the wrong length or belongs to no listed chunk, or a chunk
    /// that is new or whose embedding key changed has no vector (checked before anything is written).
    /// </exception>
    public Task ReplaceFileChunksAsync(
        string repository,
        string path,
        IReadOnlyList<ChunkRecord> chunks,
        IReadOnlyDictionary<string, float[]> vectors,
        CancellationToken cancellationToken = default) =>
        ReplaceAsync(repository, path, chunks, vectors, vectorsFollow: false, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// True: a chunk written before its vector gets a placeholder (<see cref="ChunkRows.PendingVector"/>) and the stored
    /// key <c>pending:</c> + its embedding key; lexical search finds it at once, dense search filters it out until
    /// <see cref="SetVectorsAsync"/> writes the real vector.
    /// </remarks>
    public bool SupportsPendingVectors => true;

    /// <inheritdoc/>
    public Task ReplaceFileChunksVectorsFollowAsync(
        string repository, string path, IReadOnlyList<ChunkRecord> chunks, IReadOnlyDictionary<string, float[]> vectors, CancellationToken cancellationToken = default) =>
        ReplaceAsync(repository, path, chunks, vectors, vectorsFollow: true, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>In primary-key order (Milvus returns query rows that way), not in write order.</remarks>
    public async Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        if (limit <= 0)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var filter = $"{FilterExpression.Equal(Constants.FieldRepository, repository)} and {ChunkRows.Pending}";
        var rows = await QueryAsync("GetChunksAwaitingVectors", filter, ChunkRows.RecordFields, cancellationToken, Math.Min(limit, Constants.MaxTopK), firstPageOnly: true)
            .ConfigureAwait(false);
        return rows.Select(ReadRecord).ToList();
    }

    /// <inheritdoc/>
    /// <remarks>One <c>count(*)</c> query (the server counts; no rows travel).</remarks>
    public async Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        const string operation = "CountChunksAwaitingVectors";
        var body = JsonBody.Object(w =>
        {
            _rest.WriteTarget(w);
            w.WriteString("filter", $"{FilterExpression.Equal(Constants.FieldRepository, repository)} and {ChunkRows.Pending}");
            w.WriteStrings("outputFields", [Constants.CountAll]);
            w.WriteString("consistencyLevel", _options.ConsistencyLevel);
        });
        var data = await _rest.PostAsync("entities/query", operation, body, cancellationToken).ConfigureAwait(false);
        return Decode(operation, () =>
        {
            var rows = SearchHits.Rows(data);
            if (rows.Count == 1 && rows[0].ValueKind == JsonValueKind.Object && rows[0].TryGetProperty(Constants.CountAll, out var count)
                && MilvusResponse.TryReadLong(count, out var value) && value >= 0)
            {
                return value;
            }

            throw new FormatException($"expected one row with a non-negative '{Constants.CountAll}', got {rows.Count} row(s).");
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads the named chunks of the repository, then re-writes those whose stored key is still <c>pending:</c> + the
    /// vector's key with the real vector (an upsert replaces the whole row). A file replaced between the read and the write
    /// could be overwritten with the older row; the repository grain runs this only after its file phase, so nothing
    /// replaces the repository's files meanwhile.
    /// </remarks>
    /// <exception cref="ArgumentException">A vector has the wrong length.</exception>
    public async Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(vectors);
        var byId = new Dictionary<string, ChunkVector>(StringComparer.Ordinal);
        foreach (var vector in vectors)
        {
            ArgumentNullException.ThrowIfNull(vector, nameof(vectors));
            if (vector.Vector is null || vector.Vector.Length != _options.Dimensions)
            {
                throw new ArgumentException($"The vector of chunk {vector.ChunkId} has {vector.Vector?.Length ?? 0} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(vectors));
            }

            byId[vector.ChunkId] = vector;
        }

        if (byId.Count == 0)
        {
            return 0;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<byte[]>();
        foreach (var batch in FilterExpression.Batches(byId.Keys))
        {
            var filter = $"{FilterExpression.Equal(Constants.FieldRepository, repository)} and {FilterExpression.In(Constants.FieldId, batch)} and {ChunkRows.Pending}";
            foreach (var row in await QueryAsync("SetVectors", filter, ChunkRows.RecordFields, cancellationToken).ConfigureAwait(false))
            {
                var (record, storedKey) = Decode("SetVectors", () => (ChunkRows.Read(row), ChunkRows.String(row, Constants.FieldEmbeddingKey)));
                if (byId.TryGetValue(record.Id, out var vector) && storedKey == ChunkRows.PendingKey(vector.EmbeddingKey))
                {
                    rows.Add(ChunkRows.Serialize(record, vector.Vector));
                }
            }
        }

        await UpsertAsync(rows, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    /// <summary>
    /// Reads the file's stored ids and embedding keys, fetches the stored vectors of listed chunks that come without one
    /// and kept their key, writes the others as pending (<paramref name="vectorsFollow"/>) or refuses, upserts every listed
    /// chunk in batches under the request limits, then deletes the file's other chunks.
    /// </summary>
    private async Task ReplaceAsync(
        string repository,
        string path,
        IReadOnlyList<ChunkRecord> chunks,
        IReadOnlyDictionary<string, float[]> vectors,
        bool vectorsFollow,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(path);
        chunks ??= [];
        vectors ??= new Dictionary<string, float[]>();
        var ids = CheckUpdate(repository, path, chunks, vectors);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var stored = await StoredKeysAsync(repository, path, cancellationToken).ConfigureAwait(false);
        var reuse = new List<string>();
        var pending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (vectors.ContainsKey(chunk.Id))
            {
                continue;
            }

            if (stored.TryGetValue(chunk.Id, out var key) && key == chunk.EmbeddingKey)
            {
                reuse.Add(chunk.Id);
            }
            else if (vectorsFollow)
            {
                pending.Add(chunk.Id);
            }
            else
            {
                throw new ArgumentException(
                    $"Chunk {chunk.Id} ({repository}:{path}:{chunk.StartLine}) is new or its embedding key changed, but the update carries no vector of model {_options.ModelId} for it.",
                    nameof(vectors));
            }
        }

        var storedVectors = await FetchVectorsAsync(reuse, cancellationToken).ConfigureAwait(false);
        var rows = new List<byte[]>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (pending.Contains(chunk.Id))
            {
                rows.Add(ChunkRows.Serialize(chunk with { EmbeddingKey = ChunkRows.PendingKey(chunk.EmbeddingKey) }, ChunkRows.PendingVector(chunk.Id, _options.Dimensions)));
                continue;
            }

            if (!vectors.TryGetValue(chunk.Id, out var vector) && !storedVectors.TryGetValue(chunk.Id, out vector))
            {
                throw new InvalidOperationException($"The stored vector of chunk {chunk.Id} ({repository}:{path}) disappeared while the file was being replaced; retry the update.");
            }

            rows.Add(ChunkRows.Serialize(chunk, vector));
        }

        await UpsertAsync(rows, cancellationToken).ConfigureAwait(false);
        var obsolete = stored.Keys.Where(id => !ids.Contains(id)).ToList();
        foreach (var batch in FilterExpression.Batches(obsolete))
        {
            await DeleteAsync(FilterExpression.In(Constants.FieldId, batch), "DeleteChunks", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in FilterExpression.Batches(paths.Distinct(StringComparer.Ordinal)))
        {
            var filter = $"{FilterExpression.Equal(Constants.FieldRepository, repository)} and {FilterExpression.In(Constants.FieldPath, batch)}";
            await DeleteAsync(filter, "RemoveFiles", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        await DeleteAsync(FilterExpression.Equal(Constants.FieldRepository, repository), "RemoveRepository", cancellationToken).ConfigureAwait(false);
    }

    private HashSet<string> CheckUpdate(string repository, string path, IReadOnlyList<ChunkRecord> chunks, IReadOnlyDictionary<string, float[]> vectors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            ArgumentNullException.ThrowIfNull(chunk, nameof(chunks));
            if (chunk.Repository != repository || chunk.Path != path)
            {
                throw new ArgumentException($"Chunk {chunk.Id} belongs to {chunk.Repository}:{chunk.Path}, not to the updated file {repository}:{path}.", nameof(chunks));
            }

            if (string.IsNullOrEmpty(chunk.Id) || !ids.Add(chunk.Id))
            {
                throw new ArgumentException($"Chunk id '{chunk.Id}' is empty or appears twice in the update of {repository}:{path}.", nameof(chunks));
            }
        }

        foreach (var (id, vector) in vectors)
        {
            if (!ids.Contains(id))
            {
                throw new ArgumentException($"A vector is given for chunk {id}, which is not among the chunks of {repository}:{path}.", nameof(vectors));
            }

            if (vector is null || vector.Length != _options.Dimensions)
            {
                throw new ArgumentException($"The vector of chunk {id} has {vector?.Length ?? 0} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(vectors));
            }
        }

        return ids;
    }

    private async Task<Dictionary<string, string>> StoredKeysAsync(string repository, string path, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("GetEmbeddingKeys", FilterExpression.File(repository, path), s_keyFields, cancellationToken).ConfigureAwait(false);
        return Decode("GetEmbeddingKeys", () =>
        {
            var keys = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
            foreach (var row in rows)
            {
                keys[ChunkRows.String(row, Constants.FieldId)] = ChunkRows.String(row, Constants.FieldEmbeddingKey);
            }

            return keys;
        });
    }

    private async Task<Dictionary<string, float[]>> FetchVectorsAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, float[]>(ids.Count, StringComparer.Ordinal);
        foreach (var batch in ids.Chunk(Constants.VectorFetchBatch))
        {
            var rows = await QueryAsync("FetchVectors", FilterExpression.In(Constants.FieldId, batch), s_vectorFields, cancellationToken, Constants.VectorFetchBatch)
                .ConfigureAwait(false);
            Decode("FetchVectors", () =>
            {
                foreach (var row in rows)
                {
                    var vector = ChunkRows.Vector(row, Constants.FieldEmbedding);
                    if (vector.Length == _options.Dimensions)
                    {
                        vectors[ChunkRows.String(row, Constants.FieldId)] = vector;
                    }
                }

                return vectors;
            });
        }

        return vectors;
    }

    /// <summary>Upserts rows in batches of at most <see cref="MilvusOptions.MaxBatchRows"/> rows and <see cref="MilvusOptions.MaxRequestBytes"/> bytes.</summary>
    private async Task UpsertAsync(List<byte[]> rows, CancellationToken cancellationToken)
    {
        var start = 0;
        while (start < rows.Count)
        {
            var end = start;
            long bytes = 0;
            while (end < rows.Count && end - start < _options.MaxBatchRows && (end == start || bytes + rows[end].Length + 1 <= _options.MaxRequestBytes))
            {
                bytes += rows[end].Length + 1;
                end++;
            }

            var batch = rows.GetRange(start, end - start);
            var body = JsonBody.Object(w =>
            {
                _rest.WriteTarget(w);
                w.WriteStartArray("data");
                foreach (var row in batch)
                {
                    w.WriteRawValue(row, skipInputValidation: true);
                }

                w.WriteEndArray();
            });
            var data = await _rest.PostAsync("entities/upsert", "Upsert", body, cancellationToken).ConfigureAwait(false);
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("upsertCount", out var count)
                && MilvusResponse.TryReadLong(count, out var upserted) && upserted != batch.Count)
            {
                throw new MilvusException("Upsert", _options.Collection, null, null, $"Milvus upserted {upserted} of {batch.Count} rows.");
            }

            start = end;
        }
    }

    private async Task DeleteAsync(string filter, string operation, CancellationToken cancellationToken)
    {
        var body = JsonBody.Object(w =>
        {
            _rest.WriteTarget(w);
            w.WriteString("filter", filter);
        });
        await _rest.PostAsync("entities/delete", operation, body, cancellationToken).ConfigureAwait(false);
    }
}
