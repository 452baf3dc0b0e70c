using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded;

/// <content>IIndexWriter: one transaction per file update or removal.</content>
public sealed partial class EmbeddedStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        RunAsync("GetEmbeddingKeys", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            ArgumentNullException.ThrowIfNull(path);
            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                """
                SELECT c.chunk_id, v.embedding_key FROM chunks c
                JOIN vectors v ON v.chunk_id = c.chunk_id AND v.model_id = $m
                WHERE c.repository = $r AND c.path = $p
                """,
                ("$m", _options.ModelId),
                ("$r", repository),
                ("$p", path));
            using var reader = command.ExecuteReader();
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                result[reader.GetString(0)] = reader.GetString(1);
            }

            return (IReadOnlyDictionary<string, string>)result;
        });

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A chunk belongs to another file, ids repeat, a vector has the wrong length, or a new chunk or changed embedding key has no vector (a caller bug).</exception>
    public Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default) =>
        RunAsync("ApplyFile", cancellationToken, () =>
        {
            ApplyFile(update);
            return true;
        });

    /// <inheritdoc/>
    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) =>
        RunAsync("RemoveFiles", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            ArgumentNullException.ThrowIfNull(paths);
            EnsureWritable("RemoveFiles");
            if (paths.Count == 0)
            {
                return true;
            }

            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                var seq = BumpSequence(connection, transaction);
                foreach (var path in paths.Distinct(StringComparer.Ordinal))
                {
                    DeleteWhere(connection, transaction, seq, "repository = $r AND path = $p", ("$r", repository), ("$p", path));
                }

                LexicalPostings.Fold(connection, transaction);
                transaction.Commit();
                _chunkWrites.Note(seq, repository);
                _wroteVectors = true;
            }

            return true;
        });

    /// <inheritdoc/>
    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default) =>
        RunAsync("RemoveRepository", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            EnsureWritable("RemoveRepository");
            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                var seq = BumpSequence(connection, transaction);
                DeleteWhere(connection, transaction, seq, "repository = $r", ("$r", repository));
                Execute(connection, transaction, "DELETE FROM repositories WHERE name = $r", ("$r", repository));
                LexicalPostings.Fold(connection, transaction);
                transaction.Commit();
                _chunkWrites.Note(seq, repository);
                _wroteVectors = true;
            }

            return true;
        });

    /// <inheritdoc/>
    public bool SupportsPendingVectors => true;

    /// <inheritdoc/>
    public Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default) =>
        RunAsync("GetChunksAwaitingVectors", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                $"""
                SELECT {ChunkColumns} FROM chunks c
                WHERE c.repository = $r AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.chunk_id = c.chunk_id AND v.model_id = $m)
                ORDER BY c.key LIMIT $limit
                """,
                ("$r", repository),
                ("$m", _options.ModelId),
                ("$limit", limit));
            return (IReadOnlyList<ChunkRecord>)ReadChunks(command);
        });

    /// <inheritdoc/>
    public Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default) =>
        RunAsync("CountChunksAwaitingVectors", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            using var connection = OpenConnection();
            return CountAwaitingVectors(connection, null, repository);
        });

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A vector has the wrong length.</exception>
    public Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default) =>
        RunAsync("SetVectors", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            ArgumentNullException.ThrowIfNull(vectors);
            EnsureWritable("SetVectors");
            foreach (var vector in vectors)
            {
                if (vector.Vector is null || vector.Vector.Length != _options.Dimensions)
                {
                    throw new ArgumentException($"The vector of chunk {vector.ChunkId} has {vector.Vector?.Length ?? 0} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(vectors));
                }
            }

            if (vectors.Count == 0)
            {
                return 0;
            }

            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                var seq = BumpSequence(connection, transaction);
                var stored = 0;
                foreach (var (chunkId, embeddingKey, vector) in vectors)
                {
                    // Only a chunk that still exists in this repository with the key the vector was made for.
                    using var find = Command(
                        connection,
                        transaction,
                        """
                        SELECT c.key, c.path, EXISTS (SELECT 1 FROM vectors v WHERE v.chunk_id = c.chunk_id AND v.model_id = $m)
                        FROM chunks c WHERE c.chunk_id = $id AND c.repository = $r AND c.embedding_key = $ek
                        """,
                        ("$id", chunkId),
                        ("$r", repository),
                        ("$ek", embeddingKey),
                        ("$m", _options.ModelId));
                    long key;
                    string path;
                    bool hadVector;
                    using (var reader = find.ExecuteReader())
                    {
                        if (!reader.Read())
                        {
                            continue;
                        }

                        (key, path, hadVector) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0);
                    }

                    if (!hadVector)
                    {
                        Execute(
                            connection,
                            transaction,
                            "UPDATE files SET awaiting_count = awaiting_count - 1 WHERE repository = $r AND path = $p AND awaiting_model = $m AND awaiting_count > 0",
                            ("$r", repository),
                            ("$p", path),
                            ("$m", _options.ModelId));
                    }

                    Execute(
                        connection,
                        transaction,
                        "INSERT OR REPLACE INTO vectors(chunk_id, model_id, embedding_key, vector) VALUES ($id, $m, $ek, $v)",
                        ("$id", chunkId),
                        ("$m", _options.ModelId),
                        ("$ek", embeddingKey),
                        ("$v", VectorCodec.ToBlob(vector)));
                    LogChange(connection, transaction, seq, Constants.OpUpsert, key, _options.ModelId);
                    stored++;
                }

                transaction.Commit();
                _chunkWrites.Note(seq, null);
                _wroteVectors |= stored > 0;
                return stored;
            }
        });

    /// <summary>
    /// The repository's chunks without a vector of the current model: the counts its files keep for this model, plus the
    /// chunks of files written under another model (or before the counts existed) counted one by one.
    /// </summary>
    private long CountAwaitingVectors(SqliteConnection connection, SqliteTransaction? transaction, string repository)
    {
        long kept = 0;
        var uncounted = new List<string>();
        using (var command = Command(
            connection,
            transaction,
            "SELECT path, awaiting_count, awaiting_model IS $m FROM files WHERE repository = $r AND chunk_count > 0",
            ("$r", repository),
            ("$m", _options.ModelId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetInt64(2) != 0)
                {
                    kept += reader.GetInt64(1);
                }
                else
                {
                    uncounted.Add(reader.GetString(0));
                }
            }
        }

        // CGR: usually none; after a model change every file until it is written again.
        using var count = Command(
            connection,
            transaction,
            """
            SELECT count(*) FROM chunks c
            WHERE c.repository = $r AND c.path = $p AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.chunk_id = c.chunk_id AND v.model_id = $m)
            """,
            ("$r", repository),
            ("$m", _options.ModelId));
        var path = count.Parameters.Add("$p", SqliteType.Text);
        foreach (var file in uncounted)
        {
            path.Value = file;
            kept += (long)count.ExecuteScalar()!;
        }

        return kept;
    }

    private static void DeleteWhere(SqliteConnection connection, SqliteTransaction transaction, long seq, string where, params (string Name, object? Value)[] parameters)
    {
        var seqParameters = parameters.Append(("$seq", (object?)seq)).ToArray();
        Execute(connection, transaction, $"INSERT INTO change_log(seq, op, chunk_key, model_id) SELECT $seq, '{Constants.OpDelete}', key, NULL FROM chunks WHERE {where}", seqParameters);
        Execute(connection, transaction, $"DELETE FROM vectors WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE {where})", parameters);
        Execute(connection, transaction, $"DELETE FROM files_fts WHERE rowid IN (SELECT doc FROM file_docs WHERE {where})", parameters);
        foreach (var table in (string[])["chunks", "symbols", "calls", "imports", "inheritance", "file_docs", "files"])
        {
            Execute(connection, transaction, $"DELETE FROM {table} WHERE {where}", parameters);
        }
    }

    private void ApplyFile(FileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(update.File);
        EnsureWritable("ApplyFile");
        var file = update.File;
        ArgumentException.ThrowIfNullOrEmpty(file.Repository, "update.File.Repository");
        ArgumentException.ThrowIfNullOrEmpty(file.Path, "update.File.Path");
        var chunks = update.Chunks ?? [];
        var vectors = update.Vectors ?? new Dictionary<string, float[]>();
        var graph = update.Graph ?? FileGraph.Empty;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (chunk.Repository != file.Repository || chunk.Path != file.Path)
            {
                throw new ArgumentException($"Chunk {chunk.Id} belongs to {chunk.Repository}:{chunk.Path}, not to the updated file {file.Repository}:{file.Path}.", nameof(update));
            }

            if (!ids.Add(chunk.Id))
            {
                throw new ArgumentException($"Chunk id {chunk.Id} appears twice in the update of {file.Repository}:{file.Path}.", nameof(update));
            }
        }

        foreach (var (id, vector) in vectors)
        {
            if (!ids.Contains(id))
            {
                throw new ArgumentException($"A vector is given for chunk {id}, which is not among the chunks of {file.Repository}:{file.Path}.", nameof(update));
            }

            if (vector is null || vector.Length != _options.Dimensions)
            {
                throw new ArgumentException($"The vector of chunk {id} has {vector?.Length ?? 0} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(update));
            }
        }

        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var existing = LoadExistingChunks(connection, transaction, file.Repository, file.Path);
            var staleVectors = new List<(string Id, long Key)>();
            var awaiting = 0;
            foreach (var chunk in chunks)
            {
                if (vectors.ContainsKey(chunk.Id))
                {
                    continue;
                }

                var known = existing.TryGetValue(chunk.Id, out var stored);
                if (known && stored.VectorKey == chunk.EmbeddingKey)
                {
                    continue;
                }

                if (!update.VectorsFollow)
                {
                    throw new ArgumentException(
                        $"Chunk {chunk.Id} ({file.Repository}:{file.Path}:{chunk.StartLine}) is new or its embedding key changed, but the update carries no vector of model {_options.ModelId} for it.",
                        nameof(update));
                }

                // CGR: written without a vector, it awaits one; a vector of its old embedding key must not answer for it.
                awaiting++;
                if (known && stored.VectorKey is not null)
                {
                    staleVectors.Add((chunk.Id, stored.Key));
                }
            }

            var seq = BumpSequence(connection, transaction);
            foreach (var (id, key) in staleVectors)
            {
                Execute(connection, transaction, "DELETE FROM vectors WHERE chunk_id = $id AND model_id = $m", ("$id", id), ("$m", _options.ModelId));
                LogChange(connection, transaction, seq, Constants.OpDelete, key, _options.ModelId);
                _wroteVectors = true;
            }
            foreach (var (id, stored) in existing)
            {
                if (!ids.Contains(id))
                {
                    Execute(connection, transaction, "DELETE FROM vectors WHERE chunk_id = $id", ("$id", id));
                    Execute(connection, transaction, "DELETE FROM chunks WHERE key = $k", ("$k", stored.Key));
                    LogChange(connection, transaction, seq, Constants.OpDelete, stored.Key, null);
                    _wroteVectors = true;
                }
            }

            foreach (var chunk in chunks)
            {
                long key;
                if (existing.TryGetValue(chunk.Id, out var stored))
                {
                    key = stored.Key;
                    Execute(
                        connection,
                        transaction,
                        """
                        UPDATE chunks SET language = $lang, symbol_path = $sp, kind = $kind, start_line = $sl, end_line = $el,
                            text = $text, content_hash = $ch, embedding_key = $ek, lexical_text = $lex, signature = $sig, class = $class
                        WHERE key = $k
                        """,
                        ChunkParameters(chunk).Append(("$k", key)).ToArray());
                }
                else
                {
                    using var insert = Command(
                        connection,
                        transaction,
                        """
                        INSERT INTO chunks(chunk_id, repository, path, language, symbol_path, kind, start_line, end_line, text,
                            content_hash, embedding_key, lexical_text, signature, class)
                        VALUES ($id, $r, $p, $lang, $sp, $kind, $sl, $el, $text, $ch, $ek, $lex, $sig, $class) RETURNING key
                        """,
                        ChunkParameters(chunk).Concat([("$id", chunk.Id), ("$r", chunk.Repository), ("$p", chunk.Path)]).ToArray());
                    key = (long)insert.ExecuteScalar()!;
                }

                if (vectors.TryGetValue(chunk.Id, out var vector))
                {
                    Execute(
                        connection,
                        transaction,
                        "INSERT OR REPLACE INTO vectors(chunk_id, model_id, embedding_key, vector) VALUES ($id, $m, $ek, $v)",
                        ("$id", chunk.Id),
                        ("$m", _options.ModelId),
                        ("$ek", chunk.EmbeddingKey),
                        ("$v", VectorCodec.ToBlob(vector)));
                    LogChange(connection, transaction, seq, Constants.OpUpsert, key, _options.ModelId);
                    _wroteVectors = true;
                }
            }

            ReplaceGraph(connection, transaction, file.Repository, file.Path, graph);
            ReplaceFileDocument(connection, transaction, file.Repository, file.Path, chunks);

            // CGR: the file's counts as stored (symbols with one qualified name collapse into one row), summed by status.
            Execute(
                connection,
                transaction,
                """
                INSERT OR REPLACE INTO files(repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count, class,
                    symbol_count, reference_count, awaiting_count, awaiting_model)
                VALUES ($r, $p, $lang, $h, $size, $pv, $st, $reason, $cc, $class,
                    (SELECT count(*) FROM symbols WHERE repository = $r AND path = $p),
                    (SELECT count(*) FROM calls WHERE repository = $r AND path = $p) + (SELECT count(*) FROM imports WHERE repository = $r AND path = $p)
                        + (SELECT count(*) FROM inheritance WHERE repository = $r AND path = $p),
                    $awaiting, $m)
                """,
                ("$awaiting", awaiting),
                ("$m", _options.ModelId),
                ("$r", file.Repository),
                ("$p", file.Path),
                ("$lang", file.Language),
                ("$h", file.ContentHash ?? string.Empty),
                ("$size", file.Size),
                ("$pv", file.PipelineVersion ?? string.Empty),
                ("$st", file.Status.ToString()),
                ("$reason", file.Reason),
                ("$cc", chunks.Count),
                ("$class", file.Class.Name()));
            LexicalPostings.Fold(connection, transaction);
            transaction.Commit();
            _chunkWrites.Note(seq, file.Repository);
        }
    }

    /// <summary>The file's lexical document: every chunk's lexical text (each holds the path and symbol path), in line order.</summary>
    private static void ReplaceFileDocument(SqliteConnection connection, SqliteTransaction transaction, string repository, string path, IReadOnlyList<ChunkRecord> chunks)
    {
        using (var find = Command(connection, transaction, "SELECT doc FROM file_docs WHERE repository = $r AND path = $p", ("$r", repository), ("$p", path)))
        {
            if (find.ExecuteScalar() is long old)
            {
                Execute(connection, transaction, "DELETE FROM files_fts WHERE rowid = $d", ("$d", old));
                Execute(connection, transaction, "DELETE FROM file_docs WHERE doc = $d", ("$d", old));
            }
        }

        if (chunks.Count == 0)
        {
            return;
        }

        using var insert = Command(connection, transaction, "INSERT INTO file_docs(repository, path) VALUES ($r, $p) RETURNING doc", ("$r", repository), ("$p", path));
        var doc = (long)insert.ExecuteScalar()!;
        var text = string.Join('\n', chunks.OrderBy(c => c.StartLine).Select(c => c.LexicalText ?? string.Empty));
        Execute(connection, transaction, "INSERT INTO files_fts(rowid, lexical_text) VALUES ($d, $t)", ("$d", doc), ("$t", text));
    }

    private static (string, object?)[] ChunkParameters(ChunkRecord chunk) =>
    [
        ("$lang", chunk.Language ?? string.Empty),
        ("$sp", chunk.SymbolPath ?? string.Empty),
        ("$kind", chunk.Kind.ToString()),
        ("$sl", chunk.StartLine),
        ("$el", chunk.EndLine),
        ("$text", chunk.Text ?? string.Empty),
        ("$ch", chunk.ContentHash ?? string.Empty),
        ("$ek", chunk.EmbeddingKey ?? string.Empty),
        ("$lex", chunk.LexicalText ?? string.Empty),
        ("$sig", chunk.Signature),
        ("$class", chunk.Class.Name()),
    ];

    private static void LogChange(SqliteConnection connection, SqliteTransaction transaction, long seq, string op, long key, string? modelId) =>
        Execute(
            connection,
            transaction,
            "INSERT INTO change_log(seq, op, chunk_key, model_id) VALUES ($seq, $op, $k, $m)",
            ("$seq", seq),
            ("$op", op),
            ("$k", key),
            ("$m", modelId));

    private Dictionary<string, (long Key, string? VectorKey)> LoadExistingChunks(SqliteConnection connection, SqliteTransaction transaction, string repository, string path)
    {
        using var command = Command(
            connection,
            transaction,
            """
            SELECT c.chunk_id, c.key, v.embedding_key FROM chunks c
            LEFT JOIN vectors v ON v.chunk_id = c.chunk_id AND v.model_id = $m
            WHERE c.repository = $r AND c.path = $p
            """,
            ("$m", _options.ModelId),
            ("$r", repository),
            ("$p", path));
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, (long, string?)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return result;
    }

    private static void ReplaceGraph(SqliteConnection connection, SqliteTransaction transaction, string repository, string path, FileGraph graph)
    {
        foreach (var table in (string[])["symbols", "calls", "imports", "inheritance"])
        {
            Execute(connection, transaction, $"DELETE FROM {table} WHERE repository = $r AND path = $p", ("$r", repository), ("$p", path));
        }

        using (var command = Command(
            connection,
            transaction,
            """
            INSERT OR REPLACE INTO symbols(repository, path, qualified_name, name, kind, start_line, end_line, parent_qualified_name, signature)
            VALUES ($r, $p, $qn, $n, $k, $sl, $el, $parent, $sig)
            """))
        {
            foreach (var symbol in graph.Symbols ?? [])
            {
                Bind(command, ("$r", repository), ("$p", path), ("$qn", symbol.QualifiedName), ("$n", symbol.Name), ("$k", symbol.Kind.ToString()), ("$sl", symbol.StartLine), ("$el", symbol.EndLine), ("$parent", symbol.ParentQualifiedName), ("$sig", symbol.Signature));
                command.ExecuteNonQuery();
            }
        }

        using (var command = Command(
            connection,
            transaction,
            "INSERT INTO calls(repository, path, ordinal, caller, name, qualifier, line) VALUES ($r, $p, $o, $c, $n, $q, $l)"))
        {
            var ordinal = 0;
            foreach (var call in graph.Calls ?? [])
            {
                Bind(command, ("$r", repository), ("$p", path), ("$o", ordinal++), ("$c", call.CallerQualifiedName ?? string.Empty), ("$n", call.Name), ("$q", call.Qualifier), ("$l", call.Line));
                command.ExecuteNonQuery();
            }
        }

        using (var command = Command(
            connection,
            transaction,
            "INSERT INTO imports(repository, path, ordinal, module, names, alias, line) VALUES ($r, $p, $o, $m, $n, $a, $l)"))
        {
            var ordinal = 0;
            foreach (var import in graph.Imports ?? [])
            {
                Bind(command, ("$r", repository), ("$p", path), ("$o", ordinal++), ("$m", import.Module), ("$n", JsonSerializer.Serialize(import.Names ?? [])), ("$a", import.Alias), ("$l", import.Line));
                command.ExecuteNonQuery();
            }
        }

        using (var command = Command(
            connection,
            transaction,
            "INSERT INTO inheritance(repository, path, ordinal, type_qualified_name, base_name, line) VALUES ($r, $p, $o, $t, $b, $l)"))
        {
            var ordinal = 0;
            foreach (var inheritance in graph.Inheritance ?? [])
            {
                Bind(command, ("$r", repository), ("$p", path), ("$o", ordinal++), ("$t", inheritance.TypeQualifiedName), ("$b", inheritance.BaseName), ("$l", inheritance.Line));
                command.ExecuteNonQuery();
            }
        }
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
