using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// The embedded backend over one data directory: SQLite (WAL) as the source of truth for the catalog, chunks, vectors,
/// FTS5 lexical index, code graph, embedding cache and grain state, plus a derived exact/USearch dense index.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per data directory and process, owned by DI as a singleton. A read-write instance holds
/// <c>write.lock</c> until disposed; read-only instances need no lock and read consistent WAL snapshots while a writer commits.
/// Disposing a writer saves the ANN index with the commit sequence it reflects.
/// </remarks>
public sealed partial class EmbeddedStore : IRepositoryCatalog, IIndexWriter, IChunkStore, ICodeGraphStore, IEmbeddingCache, IDisposable, IAsyncDisposable
{
    private readonly EmbeddedStorageOptions _options;
    private readonly string _connectionString;
    private readonly WriteLock? _writeLock;
    private readonly Lock _writeGate = new();
    private readonly GraphCache _graphCache = new();
    private readonly DenseVectorIndex _dense;
    private readonly ILogger _logger;
    private bool _wroteVectors;
    private int _otherModelsChecked;
    private volatile bool _damaged;
    private volatile bool _disposed;

    /// <summary>Opens the store configured by <paramref name="options"/> (DI constructor).</summary>
    public EmbeddedStore(IOptions<EmbeddedStorageOptions> options, ILogger<EmbeddedStore>? logger = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), (ILogger?)logger)
    {
    }

    /// <summary>Opens (creating and migrating when read-write) the store in <see cref="EmbeddedStorageOptions.DataDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="DataDirectoryLockedException">Read-write, and another writer holds the directory.</exception>
    /// <exception cref="EmbeddedStorageException">The database cannot be opened or migrated.</exception>
    /// <exception cref="DatabaseDamagedException">The database is damaged (found by the open check or by SQLite).</exception>
    /// <remarks>
    /// When the files are not as a clean close left them (a writer was killed, or something else wrote them), the open checks
    /// the database and the ANN index first (see <see cref="CheckIntegrityAsync"/>); a clean open skips that cost.
    /// </remarks>
    public EmbeddedStore(EmbeddedStorageOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new EmbeddedStorageOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
        // CGR: every setting is copied (a hand-written copy once left FilteredExactSearchThreshold at its default).
        _options = options.Copy();
        _options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        var databasePath = DatabasePath;
        if (_options.ReadOnly)
        {
            if (!File.Exists(databasePath))
            {
                throw new EmbeddedStorageException("Open", $"no index in '{_options.DataDirectory}' (run an index first).", null);
            }
        }
        else
        {
            CreateWritable(_options.DataDirectory, () => PrivateFiles.CreateDirectory(_options.DataDirectory));
            _writeLock = _options.SharedWriters ? null : WriteLock.Acquire(_options.DataDirectory);
            CreateWritable(databasePath, () => PrivateFiles.CreateEmptyFile(databasePath));
        }

        // CGR: a reader skips the check while a writer runs: that writer checked at its open and is changing the files.
        var check = File.Exists(databasePath)
            && !CleanClose.Matches(_options.DataDirectory)
            && !(_options.ReadOnly && CleanClose.WriterRunning(_options.DataDirectory));
        if (!_options.ReadOnly)
        {
            CleanClose.Delete(_options.DataDirectory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = _options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var complete = false;
        try
        {
            using var connection = OpenConnection();
            if (check && RunIntegrityCheck(connection, out complete) is [var problem, ..])
            {
                throw new DatabaseDamagedException(databasePath, problem, null);
            }

            if (_options.ReadOnly)
            {
                var version = Schema.GetVersion(connection);
                if (version != Schema.LatestVersion)
                {
                    throw new EmbeddedStorageException(
                        "Open", $"'{databasePath}' has schema version {version}, this build needs {Schema.LatestVersion}; open it read-write once to migrate.", null);
                }
            }
            else
            {
                Execute(connection, null, "PRAGMA journal_mode = WAL;");
                if (Schema.Migrate(connection))
                {
                    // CGR: once per data directory, after a migration that copied tables; seconds per 100k chunks.
                    Execute(connection, null, "VACUUM;");
                }

                // CGR: an older (or repaired) store's postings are built before the first write; a later open resumes.
                var backfillStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                if (LexicalPostings.Backfill(connection) is > 0 and var built)
                {
                    var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(backfillStarted);
                    LogBuiltLexicalPostings(_logger, built, _options.DataDirectory, elapsed.TotalSeconds);
                }
            }
        }
        catch (SqliteException ex) when (DatabaseDamagedException.IsDamage(ex))
        {
            ReleaseResources();
            throw new DatabaseDamagedException(databasePath, IntegrityCheck.Describe(ex), ex);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            ReleaseResources();
            throw new EmbeddedStorageException("Open", ex.Message, ex);
        }
        catch
        {
            ReleaseResources();
            throw;
        }

        _dense = new DenseVectorIndex(_options, OpenConnection);
        if (check)
        {
            CheckDenseIndexAtOpen(started, complete);
        }
    }

    /// <summary>The effective options (data directory made absolute).</summary>
    public EmbeddedStorageOptions Options => _options;

    internal DenseVectorIndex DenseIndex => _dense;

    /// <summary>Whether this open ran the integrity check (the files were not as a clean close left them).</summary>
    internal bool CheckedAtOpen { get; private set; }

    /// <summary>The database file, <c>index.db</c> in the data directory.</summary>
    public string DatabasePath => Path.Combine(_options.DataDirectory, Constants.DatabaseFileName);

    /// <summary>True when opened without the writer lock.</summary>
    public bool IsReadOnly => _options.ReadOnly;

    /// <summary>Whether <paramref name="dataDirectory"/> holds an index (so a read-only open has something to read).</summary>
    public static bool IndexExists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, Constants.DatabaseFileName));

    /// <summary>True when dense search currently goes through the ANN index rather than exact search.</summary>
    public bool UsesAnnIndex => _dense.UsesAnn;

    /// <summary>The latest committed sequence number (bumped by every write transaction).</summary>
    public Task<long> GetCommitSequenceAsync(CancellationToken cancellationToken = default) =>
        RunAsync("GetCommitSequence", cancellationToken, () =>
        {
            using var connection = OpenConnection();
            return DenseVectorIndex.ReadCommitSequence(connection, null);
        });

    /// <summary>Brings the in-memory dense index up to date with the committed vectors (what the next search would do first).</summary>
    /// <returns>The commit sequence the dense index now reflects.</returns>
    /// <remarks>
    /// The backlog is applied in steps of about <see cref="DenseCatchUpStep"/> changes, each in its own read snapshot. In a
    /// writer, a write-ahead log grown past <see cref="WalTruncateBytes"/> is checkpointed and truncated
    /// (<see cref="TruncateWal"/>) between the steps and after the last: the catch-up is the long reader that keeps
    /// SQLite's own checkpoints from ever restarting the log while syncs write beside it.
    /// </remarks>
    public Task<long> CatchUpDenseIndexAsync(CancellationToken cancellationToken = default) =>
        RunAsync("CatchUpDenseIndex", cancellationToken, () =>
        {
            // CGR: in steps of a bounded size, each in its own read snapshot, with the log truncated between them (see
            // DenseVectorIndex.CatchUpStep); up to the commit that was the latest when it began, so writes that outpace
            // it do not keep one catch-up going for ever (the next one takes them).
            var (applied, target) = _dense.CatchUpStep(DenseCatchUpStep);
            while (applied < target)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!IsReadOnly)
                {
                    TruncateWal(WalTruncateBytes);
                }

                (applied, _) = _dense.CatchUpStep(DenseCatchUpStep);
            }

            _ = _dense.RelinkIfDue();
            if (!IsReadOnly)
            {
                // CGR: a bulk index's vectors were otherwise saved only at a clean close: a process killed after hours
                // of indexing rebuilt its ANN index from every vector on the next open (23 minutes at 1.26M on 2 cores).
                if (_dense.SaveDue(DenseSaveInterval, DenseSaveMinChanges))
                {
                    SaveDenseIndex();
                    PruneChangeLog();
                }

                TruncateWal(WalTruncateBytes);
            }

            return _dense.AppliedSequence;
        });

    /// <summary>About how many logged vector changes <see cref="CatchUpDenseIndexAsync"/> applies in one read snapshot.</summary>
    /// <remarks>
    /// CGR: 10,000 is ~11 s of HNSW inserts into a 1M-vector graph on 2 idle cores (~900/s) and under a minute with the
    /// cores shared; 50,000 held a snapshot for minutes while a test run shared the machine, and the syncs wrote about
    /// 1 GB of log a minute meanwhile. A step costs one indexed change-log lookup beyond the replay itself.
    /// </remarks>
    internal int DenseCatchUpStep { get; set; } = 10_000;

    /// <summary>The least time between two saves of the ANN index by <see cref="CatchUpDenseIndexAsync"/>.</summary>
    internal TimeSpan DenseSaveInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The least unsaved vector changes (and a tenth of the index) that make <see cref="CatchUpDenseIndexAsync"/> save the ANN index.</summary>
    internal long DenseSaveMinChanges { get; set; } = 50_000;

    /// <summary>The write-ahead log size above which <see cref="CatchUpDenseIndexAsync"/> checkpoints and truncates it.</summary>
    internal long WalTruncateBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Checkpoints the whole write-ahead log into the database and truncates it when it is larger than
    /// <paramref name="limit"/> bytes; gives up quietly (it is tried again at the next catch-up) when readers or a writer
    /// keep it busy for longer than a short wait.
    /// </summary>
    /// <returns>True when the log was truncated.</returns>
    /// <remarks>
    /// CGR: SQLite's automatic checkpoints are passive: they copy what no reader still needs, and the log file starts over
    /// only when a checkpoint has copied everything and no reader is inside it. A catch-up adding vectors to the HNSW index
    /// holds one read snapshot for minutes during a bulk index (900 inserts a second into a 1.26M-vector graph), and the
    /// next one starts seconds later, so the log never started over: a 1,000-repository index (1.26M chunks) grew
    /// <c>index.db-wal</c> to 58 GB beside an 8.5 GB database and filled the disk. A TRUNCATE checkpoint between catch-ups
    /// (no snapshot of ours open) waits briefly for the syncs' short transactions and starts the log over.
    /// </remarks>
    internal bool TruncateWal(long limit)
    {
        var wal = DatabasePath + "-wal";
        try
        {
            if (!File.Exists(wal) || new FileInfo(wal).Length <= limit)
            {
                return false;
            }
        }
        catch (IOException)
        {
            return false;
        }

        using var connection = OpenConnection();
        Execute(connection, null, "PRAGMA busy_timeout = 1000;");
        try
        {
            // CGR: the passive pass copies most of the log while writers go on; the TRUNCATE pass, which holds writers
            // off while it runs, then copies only what came since.
            Execute(connection, null, "PRAGMA wal_checkpoint(PASSIVE);");
            using var command = Command(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var reader = command.ExecuteReader();
            // CGR: (busy, log frames, frames checkpointed): busy = 1 when readers or a writer outlasted the wait.
            return reader.Read() && reader.GetInt64(0) == 0;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            return false;
        }
        finally
        {
            Execute(connection, null, "PRAGMA busy_timeout = 30000;");
        }
    }

    /// <summary>Brings the dense index up to date and, for a writer, saves the ANN index with its commit sequence.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Flush", cancellationToken, () =>
        {
            _dense.EnsureCurrent();
            if (!IsReadOnly)
            {
                SaveDenseIndex();
            }

            return true;
        });

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        var clean = false;
        try
        {
            if (!IsReadOnly && _wroteVectors && CountVectors() > _options.ExactSearchThreshold)
            {
                _dense.EnsureCurrent();
                SaveDenseIndex();
            }

            if (!IsReadOnly)
            {
                PruneChangeLog();
                using var connection = OpenConnection();
                Execute(connection, null, "PRAGMA wal_checkpoint(PASSIVE);");
                SaveCatalogCopy(connection, _options.DataDirectory);
            }

            clean = !_damaged;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or EmbeddedStorageException or DatabaseDamagedException)
        {
            LogCloseFailed(_logger, _options.DataDirectory, ex);
        }
        finally
        {
            _disposed = true;
            _dense.Dispose();
            ReleaseResources(recordCleanClose: clean && !IsReadOnly);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Drops change-log rows no saved ANN index needs: through the saved file's sequence, or everything when there is no
    /// file (exact search loads from the vectors table). Readers that fall behind the pruned point reload in full.
    /// </summary>
    private void PruneChangeLog()
    {
        lock (_writeGate)
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            var through = _dense.ReadSavedFileSequence() ?? DenseVectorIndex.ReadCommitSequence(connection, transaction);
            if (through > DenseVectorIndex.ReadPrunedThrough(connection, transaction))
            {
                Execute(connection, transaction, "DELETE FROM change_log WHERE seq <= $s", ("$s", through));
                Execute(
                    connection,
                    transaction,
                    $"INSERT OR REPLACE INTO meta(key, value) VALUES ('{Constants.LogPrunedThroughKey}', $v)",
                    ("$v", through.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Stored vectors of models other than this store's (an index built with another model or precision), per model id;
    /// empty when a sample of the vectors table holds none (a model change re-embeds every file, so such vectors are
    /// all or most of the table, never a few), which keeps this cheap enough for every status report.
    /// </summary>
    public Task<IReadOnlyDictionary<string, long>> CountOtherModelsVectorsAsync(CancellationToken cancellationToken = default) =>
        RunAsync("CountOtherModelsVectors", cancellationToken, () =>
        {
            using (var connection = OpenConnection())
            using (var sample = Command(
                connection,
                null,
                "SELECT count(*) FROM (SELECT model_id FROM vectors LIMIT 1000) WHERE model_id <> $m",
                ("$m", _options.ModelId)))
            {
                if ((long)sample.ExecuteScalar()! == 0)
                {
                    return (IReadOnlyDictionary<string, long>)new Dictionary<string, long>();
                }
            }

            return CountVectorsByModel(_options.ModelId);
        });

    private Dictionary<string, long> CountVectorsByModel(string exceptModel)
    {
        using var connection = OpenConnection();
        using var command = Command(
            connection,
            null,
            "SELECT model_id, count(*) FROM vectors WHERE model_id <> $except GROUP BY model_id ORDER BY model_id",
            ("$except", exceptModel));
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// A dense search found no vector of this store's model: when the index holds vectors of other models (indexed with
    /// another model or precision), says so once, since dense search silently finds nothing until a re-index.
    /// </summary>
    private void WarnOnceOfOtherModelsVectors()
    {
        if (Interlocked.Exchange(ref _otherModelsChecked, 1) == 1)
        {
            return;
        }

        // CGR: a full scan, once per store, and only after a dense search found nothing at all.
        var others = CountVectorsByModel(_options.ModelId);
        if (others.Count > 0)
        {
            LogOtherModelsVectors(_logger, _options.DataDirectory, _options.ModelId, string.Join(", ", others.Select(kv => $"{kv.Value} of {kv.Key}")));
        }
    }

    private long CountVectors()
    {
        using var connection = OpenConnection();
        using var command = Command(connection, null, "SELECT count(*) FROM vectors WHERE model_id = $m", ("$m", _options.ModelId));
        return (long)command.ExecuteScalar()!;
    }

    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // CGR: a writer's page cache of 32 MB (SQLite's default is 2 MB): a file's write touches a block of each of its
            // few hundred distinct terms in lex_blocks, and with 2 MB most of them were read again for every file.
            // journal_size_limit: SQLite reuses a write-ahead log file from its start once a checkpoint has copied all of it,
            // keeping the file at its largest size; a bulk index left a 5.6 GB file that way when the TRUNCATE checkpoint
            // found the syncs busy. With the limit, the writer that starts the log over cuts the file down to it.
            Execute(
                connection,
                null,
                _options.ReadOnly
                    ? "PRAGMA busy_timeout = 30000;"
                    : FormattableString.Invariant($"PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA journal_size_limit = {WalTruncateBytes};"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

#pragma warning disable CA1068 // CGR: the body lambda goes last so call sites read as blocks.
    private Task<T> RunAsync<T>(string operation, CancellationToken cancellationToken, Func<T> body)
#pragma warning restore CA1068
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(body());
        }
        catch (SqliteException ex) when (DatabaseDamagedException.IsDamage(ex))
        {
            _damaged = true;
            return Task.FromException<T>(new DatabaseDamagedException(DatabasePath, IntegrityCheck.Describe(ex), ex));
        }
        catch (SqliteException ex)
        {
            return Task.FromException<T>(new EmbeddedStorageException(operation, ex.Message, ex));
        }
        catch (IOException ex)
        {
            return Task.FromException<T>(new EmbeddedStorageException(operation, ex.Message, ex));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    /// <summary>Runs one step that creates <paramref name="path"/>; a file-system refusal becomes one line naming the path and the cause.</summary>
    private void CreateWritable(string path, Action create)
    {
        try
        {
            create();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writeLock?.Dispose();
            throw new DataDirectoryAccessException(_options.DataDirectory, path, ex);
        }
    }

    private void EnsureWritable(string operation)
    {
        if (IsReadOnly)
        {
            throw new EmbeddedStorageException(operation, $"the store at '{_options.DataDirectory}' was opened read-only.", null);
        }
    }

    private void ReleaseResources(bool recordCleanClose = false)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        catch (ArgumentException)
        {
            // CGR: the connection string was never built (constructor failed early).
        }

        if (recordCleanClose)
        {
            // CGR: after the pool closed (the last connection folds the WAL into the database), before the lock goes.
            CleanClose.Write(_options.DataDirectory);
        }

        _writeLock?.Dispose();
    }

    private void SaveDenseIndex()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var relinked = _dense.SaveIfChanged();
        var elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (relinked > 0)
        {
            LogRelinked(_logger, relinked, _options.DataDirectory, elapsedMs);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-linked {Count} vectors that no ANN search reached, before saving the index at {DataDirectory} ({ElapsedMs:F0} ms with the save)")]
    private static partial void LogRelinked(ILogger logger, int count, string dataDirectory, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dense search in {DataDirectory} found no vector of model {ModelId}, which embeds the queries; the index holds vectors of another model or precision ({Others}): index again with this model ('cgr index' re-embeds what changed model) or search with the model the index was built with")]
    private static partial void LogOtherModelsVectors(ILogger logger, string dataDirectory, string modelId, string others);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built the lexical postings of {Chunks} chunks in {DataDirectory} ({ElapsedS:F1} s)")]
    private static partial void LogBuiltLexicalPostings(ILogger logger, long chunks, string dataDirectory, double elapsedS);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the embedded store at {DataDirectory} did not save the ANN index; it will be rebuilt or replayed on open")]
    private static partial void LogCloseFailed(ILogger logger, string dataDirectory, Exception exception);
}
