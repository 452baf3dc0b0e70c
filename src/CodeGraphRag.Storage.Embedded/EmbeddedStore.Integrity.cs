using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Storage.Embedded;

/// <content>Damage detection: the integrity check, and the catalog copy kept beside the database.</content>
public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Checks the database (<c>PRAGMA quick_check</c>, each FTS5 index's integrity check) and the dense index (the saved ANN
    /// file's length and checksum, then its count and keys against the vectors in SQLite). An ANN index that disagrees is
    /// rebuilt from SQLite (and saved again by a writer); it is only derived state.
    /// </summary>
    /// <exception cref="DatabaseDamagedException">The database is damaged.</exception>
    /// <remarks>Reads the whole database and every vector key: seconds on a large index.</remarks>
    public Task<IntegrityReport> CheckIntegrityAsync(CancellationToken cancellationToken = default) =>
        RunAsync("CheckIntegrity", cancellationToken, () =>
        {
            using (var connection = OpenConnection())
            {
                if (RunIntegrityCheck(connection, out _) is [var problem, ..])
                {
                    _damaged = true;
                    throw new DatabaseDamagedException(DatabasePath, problem, null);
                }
            }

            var rebuilt = new List<string>();
            if (_dense.VerifyAndRebuild() is { } annProblem)
            {
                rebuilt.Add($"ANN index rebuilt from SQLite: {annProblem}");
                SaveRebuiltDenseIndex();
            }

            var checks = new List<string> { IntegrityCheck.Description };
            checks.Add(_dense.UsesAnn ? "ANN index file checksum, vector count and keys against SQLite" : "dense index loaded from SQLite (exact search, no ANN file)");
            return new IntegrityReport(DatabasePath, checks, rebuilt);
        });

    /// <summary>
    /// Discards the ANN index and rebuilds it from the stored vectors (saving it when above the exact-search threshold);
    /// returns what it built, one line.
    /// </summary>
    internal string RebuildDenseIndex()
    {
        EnsureWritable("RebuildDenseIndex");
        _dense.Discard();
        _dense.EnsureCurrent();
        var vectors = CountVectors();
        if (!_dense.UsesAnn)
        {
            return $"dense index: {vectors} stored vectors, searched exactly (no ANN index below {_options.ExactSearchThreshold})";
        }

        SaveDenseIndex();
        return $"ANN index rebuilt from {vectors} stored vectors and saved to '{_dense.AnnPath}'";
    }

    /// <summary>After an unclean close: verifies the dense index (rebuilding it if it disagrees) and records the check.</summary>
    private void CheckDenseIndexAtOpen(long started, bool complete)
    {
        try
        {
            if (_dense.VerifyAndRebuild() is { } problem)
            {
                LogAnnRebuilt(_logger, _options.DataDirectory, problem);
                SaveRebuiltDenseIndex();
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or EmbeddedStorageException)
        {
            _dense.Dispose();
            ReleaseResources();
            if (ex is SqliteException sqlite && DatabaseDamagedException.IsDamage(sqlite))
            {
                throw new DatabaseDamagedException(DatabasePath, IntegrityCheck.Describe(sqlite), sqlite);
            }

            throw new EmbeddedStorageException("Open", ex.Message, ex);
        }

        CheckedAtOpen = true;
        var elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogCheckedAtOpen(_logger, _options.DataDirectory, elapsedMs);
        if (IsReadOnly && complete)
        {
            // CGR: no writer runs (else the check was skipped), so the files stay as checked; later opens need not check again.
            CleanClose.Write(_options.DataDirectory);
        }
    }

    /// <summary>
    /// Runs <see cref="IntegrityCheck.Run"/>. FTS5's integrity-check is an INSERT that a read-only connection cannot run,
    /// so a read-only store checks on a read-write connection of its own where the file allows one (the check writes nothing).
    /// </summary>
    private List<string> RunIntegrityCheck(SqliteConnection connection, out bool complete)
    {
        if (!IsReadOnly)
        {
            return IntegrityCheck.Run(connection, out complete);
        }

        using var writable = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            writable.Open();
        }
        catch (SqliteException ex) when (!DatabaseDamagedException.IsDamage(ex))
        {
            return IntegrityCheck.Run(connection, out complete);
        }

        return IntegrityCheck.Run(writable, out complete);
    }

    private void SaveRebuiltDenseIndex()
    {
        if (!IsReadOnly && _dense.UsesAnn)
        {
            SaveDenseIndex();
        }
    }

    /// <summary>
    /// Writes the repositories (name, source, revision) to <c>catalog.json</c> beside the database, so a repair can say what
    /// to index again even when the database's own catalog is unreadable.
    /// </summary>
    private static void SaveCatalogCopy(SqliteConnection connection, string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, Constants.CatalogCopyFileName);
        var tmp = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        var repositories = ReadRepositories(connection, null).Select(r => new CatalogEntry(r.Name, r.Source, r.Revision)).ToList();
        File.WriteAllText(tmp, JsonSerializer.Serialize(repositories));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The repositories of <c>catalog.json</c> (see <see cref="SaveCatalogCopy"/>), or null when there is none.</summary>
    internal static List<RepositoryInfo>? ReadCatalogCopy(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, Constants.CatalogCopyFileName);
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<List<CatalogEntry>>(File.ReadAllText(path))?.Select(e => new RepositoryInfo(e.Name, e.Source, e.Revision, null, null, [])).ToList()
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The repositories in the database's catalog, reading as many rows as the damage allows.</summary>
    internal static (List<RepositoryInfo> Repositories, string? Problem) ReadCatalogRows(SqliteConnection connection)
    {
        var result = new List<RepositoryInfo>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, source, revision FROM repositories ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new RepositoryInfo(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), null, null, []));
            }

            return (result, null);
        }
        catch (SqliteException ex)
        {
            return (result, IntegrityCheck.Describe(ex));
        }
    }

    private sealed record CatalogEntry(string Name, string Source, string? Revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "The embedded store at {DataDirectory} was not closed cleanly; its database and dense index checked out in {ElapsedMs:F0} ms")]
    private static partial void LogCheckedAtOpen(ILogger logger, string dataDirectory, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ANN index at {DataDirectory} disagreed with SQLite and was rebuilt from it: {Problem}")]
    private static partial void LogAnnRebuilt(ILogger logger, string dataDirectory, string problem);
}
