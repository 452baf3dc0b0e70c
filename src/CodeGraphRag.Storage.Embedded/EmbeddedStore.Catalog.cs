using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded;

/// <content>IRepositoryCatalog: repositories and file manifests.</content>
public sealed partial class EmbeddedStore
{
    private const int MaxFailedFilesInStats = 50;

    /// <inheritdoc/>
    public Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync("GetRepository", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            using var connection = OpenConnection();
            return ReadRepositories(connection, name).FirstOrDefault();
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) =>
        RunAsync("ListRepositories", cancellationToken, () =>
        {
            using var connection = OpenConnection();
            return (IReadOnlyList<RepositoryInfo>)ReadRepositories(connection, null);
        });

    /// <inheritdoc/>
    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) =>
        RunAsync("UpsertRepository", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(repository);
            ArgumentException.ThrowIfNullOrEmpty(repository.Name);
            EnsureWritable("UpsertRepository");
            lock (_writeGate)
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction();
                Execute(
                    connection,
                    transaction,
                    """
                    INSERT OR REPLACE INTO repositories(name, source, revision, last_sync_started, last_sync_completed, read_groups)
                    VALUES ($n, $s, $r, $ls, $lc, $g)
                    """,
                    ("$n", repository.Name),
                    ("$s", repository.Source ?? string.Empty),
                    ("$r", repository.Revision),
                    ("$ls", repository.LastSyncStarted?.ToString("O", CultureInfo.InvariantCulture)),
                    ("$lc", repository.LastSyncCompleted?.ToString("O", CultureInfo.InvariantCulture)),
                    ("$g", JsonSerializer.Serialize(repository.ReadGroups ?? [])));
                var seq = BumpSequence(connection, transaction);
                transaction.Commit();
                _chunkWrites.Note(seq, null);
            }

            return true;
        });

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default) =>
        RunAsync("GetManifest", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            using var connection = OpenConnection();
            var result = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
            foreach (var file in ReadFiles(connection, null, repository))
            {
                result[file.Path] = file;
            }

            return (IReadOnlyDictionary<string, FileRecord>)result;
        });

    /// <inheritdoc/>
    public Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        RunAsync("GetFile", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            ArgumentException.ThrowIfNullOrEmpty(path);
            using var connection = OpenConnection();
            return ReadFiles(connection, null, repository, path).FirstOrDefault();
        });

    /// <inheritdoc/>
    public Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default) =>
        RunAsync("GetStats", cancellationToken, () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(repository);
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: true);
            var files = new Dictionary<FileStatus, int>();
            var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
            var languages = new Dictionary<string, int>(StringComparer.Ordinal);
            var failed = new List<KeyValuePair<string, string>>();
            using (var command = Command(connection, transaction, "SELECT status, count(*) FROM files WHERE repository = $r GROUP BY status", ("$r", repository)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    files[Enum.Parse<FileStatus>(reader.GetString(0))] = reader.GetInt32(1);
                }
            }

            using (var command = Command(connection, transaction, "SELECT coalesce(reason, ''), count(*) FROM files WHERE repository = $r AND status = 'Skipped' GROUP BY 1", ("$r", repository)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    skipped[reader.GetString(0)] = reader.GetInt32(1);
                }
            }

            using (var command = Command(connection, transaction, "SELECT language, count(*) FROM files WHERE repository = $r AND status = 'Indexed' AND language IS NOT NULL GROUP BY language", ("$r", repository)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    languages[reader.GetString(0)] = reader.GetInt32(1);
                }
            }

            using (var command = Command(connection, transaction, $"SELECT path, coalesce(reason, '') FROM files WHERE repository = $r AND status = 'Failed' ORDER BY path LIMIT {MaxFailedFilesInStats}", ("$r", repository)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    failed.Add(new(reader.GetString(0), reader.GetString(1)));
                }
            }

            // CGR: the files' kept counts (migration 8): one walk of the repository's files, not of its chunks and references.
            long chunks, symbols, references;
            using (var command = Command(
                connection,
                transaction,
                "SELECT coalesce(sum(chunk_count), 0), coalesce(sum(symbol_count), 0), coalesce(sum(reference_count), 0) FROM files WHERE repository = $r",
                ("$r", repository)))
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                (chunks, symbols, references) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            var awaiting = CountAwaitingVectors(connection, transaction, repository);
            transaction.Commit();
            return new RepositoryStats(files, skipped, failed, chunks, symbols, references, languages, awaiting);
        });

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, string repository)
    {
        using var command = Command(connection, transaction, sql, ("$r", repository));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static long BumpSequence(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = Command(
            connection,
            transaction,
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'commit_seq' RETURNING value");
        return long.Parse((string)command.ExecuteScalar()!, CultureInfo.InvariantCulture);
    }

    private static List<RepositoryInfo> ReadRepositories(SqliteConnection connection, string? name)
    {
        using var command = Command(
            connection,
            null,
            """
            SELECT name, source, revision, last_sync_started, last_sync_completed, read_groups FROM repositories
            WHERE $n IS NULL OR name = $n ORDER BY name
            """,
            ("$n", name));
        using var reader = command.ExecuteReader();
        var result = new List<RepositoryInfo>();
        while (reader.Read())
        {
            result.Add(new RepositoryInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? []));
        }

        return result;
    }

    private static List<FileRecord> ReadFiles(SqliteConnection connection, SqliteTransaction? transaction, string? repository, string? path = null)
    {
        using var command = Command(
            connection,
            transaction,
            """
            SELECT repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count, class FROM files
            WHERE ($r IS NULL OR repository = $r) AND ($p IS NULL OR path = $p) ORDER BY repository, path
            """,
            ("$r", repository),
            ("$p", path));
        using var reader = command.ExecuteReader();
        var result = new List<FileRecord>();
        while (reader.Read())
        {
            result.Add(new FileRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetString(5),
                Enum.Parse<FileStatus>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8),
                FileClasses.ParseStored(reader.GetString(9))));
        }

        return result;
    }
}
