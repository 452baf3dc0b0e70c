using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// The in-memory dense index derived from SQLite: an exact matrix below the threshold, a USearch HNSW index above it.
/// Kept in step by replaying the change log after the commit sequence it reflects.
/// </summary>
/// <remarks>Thread-safe: one gate serialises catch-up, mutation and search.</remarks>
internal sealed class DenseVectorIndex : IDisposable
{
    private readonly Lock _gate = new();
    private readonly EmbeddedStorageOptions _options;
    private readonly Func<SqliteConnection> _openConnection;
    private ExactVectorSet? _exact;
    private AnnIndex? _ann;
    private bool _loaded;
    private long _appliedSeq;
    private bool _relinkDue;
    private long _savedSeq = -1;

    // Adds and removes applied to the ANN index since it was last checked for vectors no search reaches (saved with it).
    private long _changesSinceCheck;

    // Vectors added or removed since the ANN index was last saved or loaded, and when that was.
    private long _changesSinceSave;
    private long _savedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private AllowedKeys? _allowed;

    public DenseVectorIndex(EmbeddedStorageOptions options, Func<SqliteConnection> openConnection)
    {
        _options = options;
        _openConnection = openConnection;
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.ModelId)).AsSpan(0, 8));
        AnnPath = Path.Combine(options.DataDirectory, $"{Constants.AnnFilePrefix}{id}.usearch");
        MetaPath = Path.Combine(options.DataDirectory, $"{Constants.AnnFilePrefix}{id}.json");
    }

    public string AnnPath { get; }

    public string MetaPath { get; }

    /// <summary>True when searches go through the ANN index.</summary>
    public bool UsesAnn
    {
        get
        {
            lock (_gate)
            {
                return _ann is not null;
            }
        }
    }

    /// <summary>The commit sequence of the saved ANN file the index was last loaded from; null when it was built from SQLite.</summary>
    public long? LoadedSavedSequence { get; private set; }

    /// <summary>The commit sequence the in-memory index reflects.</summary>
    public long AppliedSequence
    {
        get
        {
            lock (_gate)
            {
                return _appliedSeq;
            }
        }
    }

    /// <summary>How many vectors (of this index's model) the index held when last brought up to date.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _exact?.Count ?? _ann?.Count ?? 0;
            }
        }
    }

    /// <summary>True when searches go through a memory-mapped saved index (a reader whose saved index was current).</summary>
    public bool UsesView
    {
        get
        {
            lock (_gate)
            {
                return _ann is { IsView: true };
            }
        }
    }

    /// <summary>Top-k (key, cosine) pairs; <paramref name="filter"/> restricts to keys the SQL filter admits.</summary>
    public List<(ulong Key, float Score)> Search(float[] query, int k, FilterSql? filter)
    {
        var unit = VectorCodec.Normalized(query);
        using var connection = _openConnection();
        lock (_gate)
        {
            _ = EnsureCurrentLocked(connection);
            if (filter is null)
            {
                return _exact is not null ? _exact.Search(unit, k) : AnnSearchLocked(unit, k, null);
            }

            var allowed = AllowedKeysLocked(connection, filter);
            if (allowed.Keys.Count == 0)
            {
                return [];
            }

            if (_exact is not null)
            {
                return _exact.Search(unit, k, allowed.Keys);
            }

            if (allowed.Keys.Count <= _options.FilteredExactSearchThreshold)
            {
                var subset = allowed.Vectors ??= AdmittedVectorsLocked(allowed.Keys);
                return ExactVectorSet.TopK(unit, k, subset.Keys, subset.Matrix, subset.Keys.Length, _options.Dimensions, null);
            }

            return AnnSearchLocked(unit, k, allowed.Keys);
        }
    }

    /// <summary>Brings the index up to the latest commit (loading it on first use).</summary>
    public void EnsureCurrent()
    {
        using var connection = _openConnection();
        lock (_gate)
        {
            _ = EnsureCurrentLocked(connection);
        }
    }

    /// <summary>
    /// Applies the committed changes in one read snapshot, but only about <paramref name="maxChanges"/> logged changes
    /// of them (whole commits, at least one) when the index is loaded and only needs a replay.
    /// </summary>
    /// <returns>
    /// The commit sequence the index now reflects, and the latest committed one its snapshot saw (what a caller that
    /// steps to the commit that was latest when it began needs from the first step).
    /// </returns>
    /// <remarks>
    /// CGR: a catch-up holds its read snapshot while it inserts into the HNSW graph (about 900 vectors a second into a
    /// 1.3M-vector graph on 2 cores), and no checkpoint can start the write-ahead log over while a snapshot is open: one
    /// catch-up of a bulk index's backlog held it for many minutes and the log reached 5.4 GB. Steps let the caller
    /// truncate the log between them.
    /// </remarks>
    public (long Applied, long Latest) CatchUpStep(int maxChanges)
    {
        using var connection = _openConnection();
        lock (_gate)
        {
            var latest = EnsureCurrentLocked(connection, maxChanges);
            CatchUpSteps++;
            return (_appliedSeq, latest);
        }
    }

    /// <summary>How many <see cref="CatchUpStep"/> calls ran (what tests observe).</summary>
    internal long CatchUpSteps { get; private set; }

    /// <summary>Writes the ANN index and the sequence it reflects, when it changed since the last save.</summary>
    /// <returns>How many stored vectors no search reached and were added again before writing (see <see cref="AnnIndex.RelinkUnreachable"/>).</returns>
    public int SaveIfChanged()
    {
        lock (_gate)
        {
            if (_ann is null || _savedSeq == _appliedSeq)
            {
                return 0;
            }

            // CGR: the check costs a search over every vector (about 0.5 s at 104k), so it runs once changes reach 1 % of the
            // index, counted across processes through the saved file; strays are rare (a few per 5,000 after heavy churn).
            var relinked = 0;
            if (_changesSinceCheck >= Math.Max(MinChangesBeforeCheck, _ann.Count / 100))
            {
                using var connection = _openConnection();
                relinked = RelinkUnreachableLocked(connection);
                _changesSinceCheck = 0;
                _relinkDue = false;
            }

            // CGR: process-unique temporary names, so silos sharing the directory never write the same file.
            var suffix = "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
            var tmpIndex = AnnPath + suffix;
            var tmpMeta = MetaPath + suffix;
            _ann.Save(tmpIndex);
            var (length, checksum) = Fingerprint(tmpIndex);
            var meta = new AnnMeta(_options.ModelId, _options.Dimensions, _appliedSeq, _options.AnnConnectivity, AnnMeta.CurrentFormat, _changesSinceCheck, length, checksum, _options.AnnPrecision);
            File.WriteAllText(tmpMeta, JsonSerializer.Serialize(meta));

            // CGR: index first, then meta; a crash in between replays from the older sequence, which is idempotent.
            File.Move(tmpIndex, AnnPath, overwrite: true);
            File.Move(tmpMeta, MetaPath, overwrite: true);
            _savedSeq = _appliedSeq;
            _changesSinceSave = 0;
            _savedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            return relinked;
        }
    }

    /// <summary>
    /// Whether the ANN index has changed since its last save (or load) by at least <paramref name="minChanges"/> vectors
    /// and a tenth of its size, and <paramref name="minInterval"/> has passed: then a crash would cost a replay or rebuild
    /// of those changes, and a save now bounds it.
    /// </summary>
    public bool SaveDue(TimeSpan minInterval, long minChanges)
    {
        lock (_gate)
        {
            return _ann is not null
                && _savedSeq != _appliedSeq
                && _changesSinceSave >= Math.Max(minChanges, _ann.Count / 10)
                && System.Diagnostics.Stopwatch.GetElapsedTime(_savedAt) >= minInterval;
        }
    }

    /// <summary>
    /// Checks the saved ANN file against the length and SHA-256 its meta file records, then the loaded index against the
    /// vectors in SQLite (count and keys); whatever disagrees is discarded and the index rebuilt from SQLite.
    /// </summary>
    /// <returns>What disagreed, or null when everything agreed.</returns>
    /// <remarks>Reads every stored key; the open check after an unclean close and <c>status --check</c> call it.</remarks>
    public string? VerifyAndRebuild()
    {
        var problem = CheckSavedFile();
        using var connection = _openConnection();
        lock (_gate)
        {
            if (problem is not null)
            {
                ResetLocked();
                DeleteSavedFiles();
            }

            _ = EnsureCurrentLocked(connection);
            if (_ann is null)
            {
                return problem;
            }

            var keys = ReadStoredKeysLocked(connection);
            var missing = keys.Count(k => !_ann.Contains(k));
            if (_ann.Count != keys.Count || missing > 0)
            {
                problem ??= $"the ANN index holds {_ann.Count} vectors, {missing} of SQLite's {keys.Count} missing";
                ResetLocked();
                DeleteSavedFiles();
                _ = EnsureCurrentLocked(connection);
            }
        }

        return problem;
    }

    /// <summary>Drops the in-memory index and the saved files; the next use rebuilds from SQLite.</summary>
    public void Discard()
    {
        lock (_gate)
        {
            ResetLocked();
            DeleteSavedFiles();
        }
    }

    /// <summary>The saved ANN files of every model in <paramref name="dataDirectory"/> (derived, safe to delete).</summary>
    public static IEnumerable<string> SavedFiles(string dataDirectory) =>
        Directory.Exists(dataDirectory) ? Directory.EnumerateFiles(dataDirectory, Constants.AnnFilePrefix + "*") : [];

    private void ResetLocked()
    {
        _ann?.Dispose();
        _ann = null;
        _exact = null;
        _allowed = null;
        _loaded = false;
        _savedSeq = -1;
    }

    private void DeleteSavedFiles()
    {
        File.Delete(MetaPath);
        File.Delete(AnnPath);
    }

    /// <summary>Why the saved ANN file cannot be trusted, or null (no file, a meta file without a checksum, or a match).</summary>
    private string? CheckSavedFile()
    {
        if (!File.Exists(MetaPath))
        {
            return null;
        }

        AnnMeta? meta;
        try
        {
            meta = JsonSerializer.Deserialize<AnnMeta>(File.ReadAllText(MetaPath));
        }
        catch (JsonException ex)
        {
            return $"'{MetaPath}' is unreadable ({ex.Message})";
        }

        if (meta?.Checksum is null || !File.Exists(AnnPath))
        {
            return null;
        }

        var (length, checksum) = Fingerprint(AnnPath);
        if (length != meta.Length)
        {
            return $"'{AnnPath}' is {length} bytes, {meta.Length} when saved (truncated or overwritten)";
        }

        return checksum == meta.Checksum ? null : $"'{AnnPath}' does not match the checksum it was saved with";
    }

    private List<ulong> ReadStoredKeysLocked(SqliteConnection connection)
    {
        var keys = new List<ulong>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT c.key FROM vectors v JOIN chunks c ON c.chunk_id = v.chunk_id WHERE v.model_id = $m";
        command.Parameters.AddWithValue("$m", _options.ModelId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add((ulong)reader.GetInt64(0));
        }

        return keys;
    }

    private static (long Length, string Checksum) Fingerprint(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Changes (adds and removes) below which a save skips the reachability check, whatever the index size.</summary>
    internal const int MinChangesBeforeCheck = 100;

    /// <summary>New vectors added to the ANN index per parallel batch when a catch-up brings many (a bulk index).</summary>
    internal int ReplayBatch { get; set; } = 4_096;

    /// <summary>Re-adds the stored vectors of this model that a search of the ANN index cannot reach.</summary>
    private int RelinkUnreachableLocked(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        var keys = new List<ulong>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT c.key FROM vectors v JOIN chunks c ON c.chunk_id = v.chunk_id WHERE v.model_id = $m";
            command.Parameters.AddWithValue("$m", _options.ModelId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // CGR: only keys the index holds can be stranded; read outside the replay's snapshot, the stored keys
                // include commits not applied yet, which their replay adds (in parallel batches, not one by one here).
                var key = (ulong)reader.GetInt64(0);
                if (_ann!.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        using var stored = new StoredVectors(connection, transaction, _options.ModelId);
        float[]? VectorOf(ulong key) => stored.Read(key) is { } vector ? VectorCodec.Normalized(vector) : null;
        return _ann!.RelinkUnreachable(keys, VectorOf);
    }

    /// <summary>Reads the stored vector of one chunk key for the index's model (one prepared command, many keys).</summary>
    private sealed class StoredVectors : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _key;

        public StoredVectors(SqliteConnection connection, SqliteTransaction? transaction, string modelId)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = "SELECT v.vector FROM chunks c JOIN vectors v ON v.chunk_id = c.chunk_id AND v.model_id = $m WHERE c.key = $k";
            _command.Parameters.AddWithValue("$m", modelId);
            _key = _command.Parameters.Add("$k", SqliteType.Integer);
        }

        /// <summary>The vector as stored (not normalised), or null when the key has none.</summary>
        public float[]? Read(ulong key)
        {
            _key.Value = (long)key;
            return _command.ExecuteScalar() is byte[] blob ? VectorCodec.FromBlob(blob) : null;
        }

        public void Dispose() => _command.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ann?.Dispose();
            _ann = null;
            _exact = null;
            _loaded = false;
        }
    }

    /// <summary>The commit sequence of the saved ANN file of this model, or null when there is none (or it is unreadable).</summary>
    public long? ReadSavedFileSequence()
    {
        try
        {
            return File.Exists(MetaPath) ? JsonSerializer.Deserialize<AnnMeta>(File.ReadAllText(MetaPath))?.CommitSequence : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Change-log rows at or below this sequence were pruned; state older than it cannot be replayed.</summary>
    internal static long ReadPrunedThrough(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT value FROM meta WHERE key = '{Constants.LogPrunedThroughKey}'";
        return command.ExecuteScalar() is string value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;
    }

    internal static long ReadCommitSequence(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE key = 'commit_seq'";
        return long.Parse((string)command.ExecuteScalar()!, CultureInfo.InvariantCulture);
    }

    /// <returns>The latest committed sequence the snapshot saw.</returns>
    private long EnsureCurrentLocked(SqliteConnection connection, int? maxChanges = null)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        var seq = ReadCommitSequence(connection, transaction);
        var prunedThrough = ReadPrunedThrough(connection, transaction);
        if (!_loaded)
        {
            FullLoad(connection, transaction, seq, prunedThrough);
            _loaded = true;
        }
        else if (seq != _appliedSeq)
        {
            if (seq < _appliedSeq || _appliedSeq < prunedThrough)
            {
                // CGR: the database went backwards (restored from a copy) or the log we need was pruned; rebuild from it.
                _ann?.Dispose();
                _ann = null;
                _exact = null;
                FullLoad(connection, transaction, seq, prunedThrough);
            }
            else if (_ann is { IsView: true })
            {
                // CGR: a viewed (memory-mapped) index cannot change: open the saved file again, which is current when the
                // writer saved at its close (another view), else is read into memory and the newer commits replayed.
                _ann.Dispose();
                _ann = null;
                FullLoad(connection, transaction, seq, prunedThrough);
            }
            else
            {
                var target = maxChanges is { } max ? StepTarget(connection, transaction, _appliedSeq, seq, max) : seq;
                Replay(connection, transaction, _appliedSeq, target);
                _appliedSeq = target;
            }
        }

        if (_exact is not null && _exact.Count > _options.ExactSearchThreshold)
        {
            _ann = BuildAnn(_exact.Keys.ToArray(), _exact.RawMatrix);
            _exact = null;
        }

        transaction.Commit();
        if (maxChanges is null)
        {
            RelinkIfDueLocked(connection);
        }

        return seq;
    }

    /// <summary>Runs the reachability check that batched adds left due (see <see cref="Replay"/>), outside any snapshot.</summary>
    /// <returns>How many vectors were added again.</returns>
    public int RelinkIfDue()
    {
        using var connection = _openConnection();
        lock (_gate)
        {
            return RelinkIfDueLocked(connection);
        }
    }

    /// <summary>How many reachability checks ran after batched adds (what tests observe).</summary>
    internal long RelinksAfterBatches { get; private set; }

    private int RelinkIfDueLocked(SqliteConnection connection)
    {
        if (!_relinkDue || _ann is null)
        {
            _relinkDue = false;
            return 0;
        }

        // CGR: each statement reads in its own short snapshot: the check walks the whole graph and re-adds strays one at a
        // time, which took minutes at 500k vectors after a bulk step, and a snapshot held that long kept every checkpoint
        // from starting the write-ahead log over (it reached 9 GB). A stray whose vector a later commit replaced or
        // removed gets the stored one or stays as it is; the replay of that commit settles it either way.
        _relinkDue = false;
        RelinksAfterBatches++;
        return RelinkUnreachableLocked(connection);
    }

    /// <summary>
    /// The last commit after <paramref name="fromSeq"/> (at most <paramref name="toSeq"/>) whose logged changes, with
    /// those of the commits before it, number at most <paramref name="maxChanges"/>; the first commit when it alone has more.
    /// </summary>
    private static long StepTarget(SqliteConnection connection, SqliteTransaction transaction, long fromSeq, long toSeq, int maxChanges)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq FROM change_log WHERE seq > $from AND seq <= $to ORDER BY seq LIMIT 1 OFFSET $n";
        command.Parameters.AddWithValue("$from", fromSeq);
        command.Parameters.AddWithValue("$to", toSeq);
        command.Parameters.AddWithValue("$n", Math.Max(1, maxChanges));
        if (command.ExecuteScalar() is not long first)
        {
            return toSeq;
        }

        // CGR: the commit holding the change one past the limit is left to the next step, unless it is the first.
        return first - 1 > fromSeq ? first - 1 : first;
    }

    private void FullLoad(SqliteConnection connection, SqliteTransaction transaction, long seq, long prunedThrough)
    {
        _allowed = null;
        long count;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM vectors WHERE model_id = $m";
            command.Parameters.AddWithValue("$m", _options.ModelId);
            count = (long)command.ExecuteScalar()!;
        }

        if (count > _options.ExactSearchThreshold && TryLoadSavedAnn(seq, prunedThrough) is { } saved)
        {
            _ann = saved.Index;
            _changesSinceCheck = saved.ChangesSinceCheck;
            _changesSinceSave = 0;
            _savedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            _savedSeq = saved.Sequence;
            LoadedSavedSequence = saved.Sequence;
            Replay(connection, transaction, saved.Sequence, seq);
            _appliedSeq = seq;
            return;
        }

        var exact = new ExactVectorSet(_options.Dimensions, (int)Math.Min(count + 16, int.MaxValue / _options.Dimensions));
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT c.key, v.vector FROM vectors v JOIN chunks c ON c.chunk_id = v.chunk_id
                WHERE v.model_id = $m
                """;
            command.Parameters.AddWithValue("$m", _options.ModelId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                exact.Upsert((ulong)reader.GetInt64(0), VectorCodec.FromBlob((byte[])reader.GetValue(1)));
            }
        }

        _appliedSeq = seq;
        _savedSeq = -1;
        LoadedSavedSequence = null;
        if (exact.Count > _options.ExactSearchThreshold)
        {
            _ann = BuildAnn(exact.Keys.ToArray(), exact.RawMatrix);
            _exact = null;
        }
        else
        {
            _exact = exact;
        }
    }

    private (AnnIndex Index, long Sequence, long ChangesSinceCheck)? TryLoadSavedAnn(long currentSeq, long prunedThrough)
    {
        if (!File.Exists(AnnPath) || !File.Exists(MetaPath))
        {
            return null;
        }

        try
        {
            var meta = JsonSerializer.Deserialize<AnnMeta>(File.ReadAllText(MetaPath));
            if (meta is null || meta.Format != AnnMeta.CurrentFormat || meta.ModelId != _options.ModelId || meta.Dimensions != _options.Dimensions || meta.Precision != _options.AnnPrecision || meta.CommitSequence > currentSeq || meta.CommitSequence < prunedThrough)
            {
                return null;
            }

            // CGR: a reader whose saved index is current maps it instead of reading it (no open cost, shared pages); a
            // writer, or a reader with commits to replay, needs it in memory.
            var index = _options.ReadOnly && meta.CommitSequence == currentSeq
                ? AnnIndex.View(AnnPath, _options.Dimensions, _options.AnnExpansionSearch)
                : AnnIndex.Load(AnnPath, _options.Dimensions, _options.AnnExpansionSearch);
            return (index, meta.CommitSequence, meta.ChangesSinceCheck);
        }
        catch (Exception ex) when (ex is IOException or JsonException or EmbeddedStorageException)
        {
            // CGR: a damaged or foreign file is only a cache; rebuild from SQLite.
            return null;
        }
    }

    private void Replay(SqliteConnection connection, SqliteTransaction transaction, long fromSeq, long toSeq)
    {
        var lastOp = new Dictionary<ulong, string>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT chunk_key, op FROM change_log
                WHERE seq > $from AND seq <= $to AND (model_id IS NULL OR model_id = $m)
                ORDER BY id
                """;
            command.Parameters.AddWithValue("$from", fromSeq);
            command.Parameters.AddWithValue("$to", toSeq);
            command.Parameters.AddWithValue("$m", _options.ModelId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                lastOp[(ulong)reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        using var stored = new StoredVectors(connection, transaction, _options.ModelId);
        if (_exact is not null && _exact.Count + lastOp.Count > _options.ExactSearchThreshold)
        {
            // CGR: a bulk catch-up (a large index written with no search in between) would grow the exact f32 matrix far
            // past the threshold (1.5 KB a vector, doubled while it grows) only to copy it into the ANN index: switch to the
            // ANN index first and add the new vectors to it in parallel batches (measured at 1.3M chunks, docs/benchmarks.md).
            _ann = BuildAnn(_exact.Keys.ToArray(), _exact.RawMatrix);
            _exact = null;
        }

        var dimensions = _options.Dimensions;
        var batchKeys = new List<ulong>(ReplayBatch);
        var batch = new float[ReplayBatch * dimensions];
        var addedInBatches = false;
        void AddBatch()
        {
            _ = _ann!.AddMany(batchKeys, batch, Environment.ProcessorCount, relink: false);
            addedInBatches = true;
            batchKeys.Clear();
        }

        foreach (var (key, op) in lastOp)
        {
            var vector = op == Constants.OpUpsert ? stored.Read(key) : null;
            if (vector is null)
            {
                _exact?.Remove(key);
                _ann?.Remove(key);
            }
            else if (_ann is not null && lastOp.Count >= ReplayBatch && !_ann.Contains(key))
            {
                VectorCodec.Normalize(vector, batch.AsSpan(batchKeys.Count * dimensions, dimensions));
                batchKeys.Add(key);
                if (batchKeys.Count == ReplayBatch)
                {
                    AddBatch();
                }
            }
            else
            {
                _exact?.Upsert(key, vector);
                _ann?.Upsert(key, VectorCodec.Normalized(vector));
            }

            _changesSinceCheck++;
            _changesSinceSave++;
        }

        if (batchKeys.Count > 0)
        {
            AddBatch();
        }

        if (addedInBatches && _ann is not null)
        {
            // CGR: parallel adds can strand a node (unum-cloud/usearch#735), a new one or one that was there before (its
            // last inbound edge pruned for a new neighbour); one check of every stored key after all the batches finds
            // them, instead of one per batch. It runs after the snapshot is released (RelinkIfDue).
            _relinkDue = true;
        }
    }

    private AnnIndex BuildAnn(ulong[] keys, float[] matrix)
    {
        var index = AnnIndex.Create(_options.Dimensions, _options.AnnConnectivity, _options.AnnExpansionAdd, _options.AnnExpansionSearch, _options.AnnPrecision);
        try
        {
            _ = index.AddMany(keys, matrix, Environment.ProcessorCount);
            _changesSinceCheck = 0;
            _changesSinceSave = keys.Length;
            _savedSeq = -1;
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private List<(ulong Key, float Score)> AnnSearchLocked(float[] unitQuery, int k, HashSet<ulong>? allowed)
    {
        var total = (int)Math.Min(_ann!.Count, int.MaxValue);
        if (total == 0)
        {
            return [];
        }

        if (allowed is not null)
        {
            var (found, scores) = _ann.Search(unitQuery, Math.Min(k, total), allowed);
            if (found.Length >= Math.Min(k, allowed.Count))
            {
                return [.. found.Zip(scores)];
            }

            // CGR: fewer than k admitted keys reached (admitted chunks without a vector of this model, or a sparse filter
            // the graph search gave up on): fall back to over-fetching the unfiltered search until enough pass.
        }

        var fetch = Math.Min(total, allowed is null ? k : k * 4);
        while (true)
        {
            var (keys, similarities) = _ann.Search(unitQuery, fetch);
            var result = new List<(ulong Key, float Score)>(k);
            for (var i = 0; i < keys.Length && result.Count < k; i++)
            {
                if (allowed is null || allowed.Contains(keys[i]))
                {
                    result.Add((keys[i], similarities[i]));
                }
            }

            if (result.Count >= k || fetch >= total)
            {
                return result;
            }

            fetch = (int)Math.Min(total, (long)fetch * 4);
        }
    }

    /// <summary>
    /// The unit vectors of the admitted keys that the ANN index holds (keys without a vector of this model are not in it),
    /// copied out of the index into one contiguous matrix for exact search.
    /// </summary>
    private AdmittedVectors AdmittedVectorsLocked(HashSet<ulong> allowed)
    {
        var dimensions = _options.Dimensions;
        var keys = new ulong[allowed.Count];
        var matrix = new float[(long)allowed.Count * dimensions];
        var count = 0;
        foreach (var key in allowed)
        {
            if (_ann!.TryGetVector(key, matrix.AsSpan(count * dimensions, dimensions)))
            {
                keys[count++] = key;
            }
        }

        return count == keys.Length ? new AdmittedVectors(keys, matrix) : new AdmittedVectors(keys[..count], matrix[..(count * dimensions)]);
    }

    /// <summary>
    /// The keys a filter admits, reused while the index reflects the same commit: an ACL list naming every repository
    /// otherwise reads every chunk key per query (about 50 ms at 100k chunks on this project's 2-core machine).
    /// </summary>
    private AllowedKeys AllowedKeysLocked(SqliteConnection connection, FilterSql filter)
    {
        var key = filter.CacheKey;
        if (_allowed is { } cached && cached.Sequence == _appliedSeq && cached.Filter == key)
        {
            return cached;
        }

        _allowed = new AllowedKeys(key, _appliedSeq, LoadAllowedKeys(connection, filter));
        return _allowed;
    }

    private HashSet<ulong> LoadAllowedKeys(SqliteConnection connection, FilterSql filter)
    {
        var allowed = new HashSet<ulong>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT c.key FROM chunks c WHERE {filter.WhereClause}";
        filter.Bind(command);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            allowed.Add((ulong)reader.GetInt64(0));
        }

        return allowed;
    }

    /// <summary>The keys one filter admits at one commit sequence, and their vectors once an exact search needed them.</summary>
    private sealed class AllowedKeys(string filter, long sequence, HashSet<ulong> keys)
    {
        public string Filter { get; } = filter;

        public long Sequence { get; } = sequence;

        public HashSet<ulong> Keys { get; } = keys;

        public AdmittedVectors? Vectors { get; set; }
    }

    /// <summary>Keys and their unit vectors, row-major, one row per key.</summary>
    private sealed record AdmittedVectors(ulong[] Keys, float[] Matrix);

    /// <summary>
    /// What a saved ANN file reflects. <c>Format</c> is bumped when saved files must be rebuilt: 2 = built with unreachable
    /// nodes re-linked (files without it may hide vectors that no search finds). <c>ChangesSinceCheck</c>: adds and removes
    /// since the index was last checked for unreachable vectors. <c>Length</c> and <c>Checksum</c> (SHA-256, hex) describe the
    /// saved index file, so a truncated or overwritten one is found before it is loaded. <c>Precision</c>: how the file
    /// holds its vectors (files from before it was recorded hold f32); a file of another precision than configured is rebuilt.
    /// </summary>
    private sealed record AnnMeta(
        string ModelId, int Dimensions, long CommitSequence, int Connectivity, int Format, long ChangesSinceCheck, long? Length = null, string? Checksum = null,
        AnnVectorPrecision Precision = AnnVectorPrecision.F32)
    {
        public const int CurrentFormat = 2;
    }
}
