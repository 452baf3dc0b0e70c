using System.Globalization;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// Repairs an embedded data directory: rebuilds every derived index (b-tree indexes, FTS5 tables, the ANN index), and moves a
/// database that is still damaged aside (renamed with a timestamp, never deleted) so the caller can index its repositories
/// again from their sources.
/// </summary>
public static class EmbeddedStoreRepair
{
    /// <summary>Repairs the data directory of <paramref name="options"/> (a read-write open; it takes the writer lock).</summary>
    /// <param name="options">The store's options; <see cref="EmbeddedStorageOptions.ReadOnly"/> must be false.</param>
    /// <param name="timeProvider">Stamps the name a damaged database is moved to.</param>
    /// <param name="logger">Optional logger for the reopened store.</param>
    /// <param name="cancellationToken">Cancels before the repair starts.</param>
    /// <exception cref="DataDirectoryLockedException">Another writer holds the directory.</exception>
    /// <exception cref="EmbeddedStorageException">A file could not be moved, or the repaired store could not be opened.</exception>
    public static Task<RepairReport> RepairAsync(EmbeddedStorageOptions options, TimeProvider timeProvider, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.ReadOnly)
        {
            throw new ArgumentException("A repair writes; the options must not be read-only.", nameof(options));
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(Repair(options, timeProvider, logger));
        }
        catch (IOException ex)
        {
            return Task.FromException<RepairReport>(new EmbeddedStorageException("Repair", ex.Message, ex));
        }
        catch (Exception ex)
        {
            return Task.FromException<RepairReport>(ex);
        }
    }

    private static RepairReport Repair(EmbeddedStorageOptions options, TimeProvider timeProvider, ILogger? logger)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        var database = Path.Combine(directory, Constants.DatabaseFileName);
        var actions = new List<string>();
        if (!File.Exists(database))
        {
            return new RepairReport([$"no database at '{database}': nothing to repair"], null, null, null);
        }

        List<RepositoryInfo>? repositories;
        string? catalogProblem;
        using (var writeLock = options.SharedWriters ? null : WriteLock.Acquire(directory))
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
            List<string> problems;
            using (var connection = new SqliteConnection(connectionString))
            {
                (repositories, catalogProblem, problems) = CheckAndRebuild(connection, actions);
            }

            foreach (var ann in DenseVectorIndex.SavedFiles(directory).ToList())
            {
                File.Delete(ann);
            }

            if (problems.Count == 0)
            {
                actions.Add($"database '{database}' passes {IntegrityCheck.Description}");
                CleanClose.Write(directory);
            }
            else
            {
                var movedTo = MoveAside(database, timeProvider);
                File.Delete(Path.Combine(directory, Constants.CleanCloseFileName));
                actions.Add($"database still damaged ({problems[0]}): moved aside to '{movedTo}'");
                if (repositories.Count == 0 || catalogProblem is not null)
                {
                    var copy = EmbeddedStore.ReadCatalogCopy(directory);
                    if (copy is not null)
                    {
                        var known = repositories.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                        repositories.AddRange(copy.Where(r => !known.Contains(r.Name)));
                        actions.Add($"read the repository list saved at the last clean close ('{Constants.CatalogCopyFileName}')");
                    }
                    else if (repositories.Count == 0 && catalogProblem is not null)
                    {
                        repositories = null;
                    }
                }

                return new RepairReport(actions, movedTo, repositories, catalogProblem);
            }
        }

        var writable = options.Copy();
        writable.DataDirectory = directory;
        writable.ReadOnly = false;
        using var store = new EmbeddedStore(writable, logger);
        actions.Add(store.RebuildDenseIndex());
        return new RepairReport(actions, null, null, catalogProblem);
    }

    /// <summary>Reads the catalog, checks the database, rebuilds its derived indexes and checks again.</summary>
    private static (List<RepositoryInfo> Repositories, string? CatalogProblem, List<string> Problems) CheckAndRebuild(SqliteConnection connection, List<string> actions)
    {
        try
        {
            connection.Open();
        }
        catch (SqliteException ex)
        {
            return ([], IntegrityCheck.Describe(ex), [IntegrityCheck.Describe(ex)]);
        }

        var (repositories, catalogProblem) = EmbeddedStore.ReadCatalogRows(connection);
        var before = IntegrityCheck.Run(connection, out _);
        actions.Add(before.Count == 0 ? "database checks passed" : $"database damaged: {before[0]}");
        if (Rebuild(connection, "REINDEX", "rebuilt the b-tree indexes (REINDEX)", actions)
            & Rebuild(connection, "INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')", "rebuilt the chunk lexical index (chunks_fts) from the chunks", actions)
            & Rebuild(connection, RebuildFileDocumentsSql, "rebuilt the file lexical index (files_fts) from the chunks", actions)
            & RecountFiles(connection, actions)
            & ResetLexicalPostings(connection, actions))
        {
            return (repositories, catalogProblem, IntegrityCheck.Run(connection, out _));
        }

        return (repositories, catalogProblem, before.Count > 0 ? before : ["a derived index could not be rebuilt"]);
    }

    /// <summary>Sets the files' kept counts from the rows again (a database older than those counts has none to set).</summary>
    private static bool RecountFiles(SqliteConnection connection, List<string> actions) =>
        RebuildSince(
            connection,
            Schema.KeptCountsVersion,
            Schema.RecountFiles,
            "recounted each file's symbols and references from the rows (the chunks awaiting vectors are counted from the chunks until each file is written again)",
            actions);

    /// <summary>Empties the lexical postings so the store builds them from the chunks again when it opens.</summary>
    private static bool ResetLexicalPostings(SqliteConnection connection, List<string> actions) =>
        RebuildSince(
            connection,
            Schema.LexicalSegmentsVersion,
            LexicalPostings.ResetSql,
            "emptied the lexical postings (lex_blocks, lex_segments); the store builds them from the chunks when it opens",
            actions)
        && (Schema.GetVersion(connection) != Schema.LexicalPostingsVersion || Rebuild(
            connection,
            LexicalPostings.ResetBlocksSql,
            "emptied the lexical postings (lex_blocks); the store builds them from the chunks when it opens",
            actions));

    /// <summary>Runs <paramref name="sql"/> when the database has schema <paramref name="version"/> or later (older ones lack what it rebuilds).</summary>
    private static bool RebuildSince(SqliteConnection connection, int version, string sql, string done, List<string> actions)
    {
        int current;
        try
        {
            current = Schema.GetVersion(connection);
        }
        catch (SqliteException ex)
        {
            actions.Add($"could not read the schema version ({IntegrityCheck.Describe(ex)})");
            return false;
        }

        return current < version || Rebuild(connection, sql, done, actions);
    }

    private static bool Rebuild(SqliteConnection connection, string sql, string done, List<string> actions)
    {
        try
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
            transaction.Commit();
            actions.Add(done);
            return true;
        }
        catch (SqliteException ex)
        {
            actions.Add($"could not rebuild ({IntegrityCheck.Describe(ex)}): {sql.Split('\n')[0]}");
            return false;
        }
    }

    /// <summary>
    /// files_fts is contentless, so FTS5's 'rebuild' cannot refill it: clear it and insert each file's document again as the
    /// writer builds it (the file's chunk lexical texts in line order, one per line).
    /// </summary>
    private const string RebuildFileDocumentsSql = """
        INSERT INTO files_fts(files_fts) VALUES('delete-all');
        INSERT INTO files_fts(rowid, lexical_text)
        SELECT d.doc, coalesce((SELECT group_concat(c.lexical_text, char(10) ORDER BY c.start_line, c.key) FROM chunks c
                       WHERE c.repository = d.repository AND c.path = d.path), '')
        FROM file_docs d;
        """;

    /// <summary>Renames the database and its WAL and shared-memory files to <c>index.db.damaged-&lt;UTC time&gt;</c>.</summary>
    private static string MoveAside(string database, TimeProvider timeProvider)
    {
        SqliteConnection.ClearAllPools();
        var target = $"{database}.damaged-{timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        for (var n = 2; File.Exists(target); n++)
        {
            target = $"{database}.damaged-{timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{n}";
        }

        // CGR: the WAL moves with its database under the same stem, so SQLite opens the moved copy with its last commits.
        foreach (var suffix in (string[])["-wal", "-shm"])
        {
            if (File.Exists(database + suffix))
            {
                File.Move(database + suffix, target + suffix);
            }
        }

        File.Move(database, target);
        return target;
    }
}
