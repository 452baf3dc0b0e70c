using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>Versioned schema migrations tracked in <c>PRAGMA user_version</c>; migration N runs in one transaction.</summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: core tables: catalog, manifest, chunks, vectors, lexical index, change log.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta(key, value) VALUES('commit_seq', '0');
        CREATE TABLE repositories(
            name TEXT PRIMARY KEY, source TEXT NOT NULL, revision TEXT,
            last_sync_started TEXT, last_sync_completed TEXT, read_groups TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE files(
            repository TEXT NOT NULL, path TEXT NOT NULL, language TEXT, content_hash TEXT NOT NULL,
            size INTEGER NOT NULL, pipeline_version TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,
            chunk_count INTEGER NOT NULL, PRIMARY KEY(repository, path)) WITHOUT ROWID;
        CREATE TABLE chunks(
            key INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT NOT NULL UNIQUE, repository TEXT NOT NULL, path TEXT NOT NULL,
            language TEXT NOT NULL, symbol_path TEXT NOT NULL, kind TEXT NOT NULL, start_line INTEGER NOT NULL,
            end_line INTEGER NOT NULL, text TEXT NOT NULL, content_hash TEXT NOT NULL, embedding_key TEXT NOT NULL,
            lexical_text TEXT NOT NULL, signature TEXT);
        CREATE INDEX ix_chunks_file ON chunks(repository, path, symbol_path);
        CREATE TABLE vectors(
            chunk_id TEXT NOT NULL, model_id TEXT NOT NULL, embedding_key TEXT NOT NULL, vector BLOB NOT NULL,
            PRIMARY KEY(chunk_id, model_id)) WITHOUT ROWID;
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            lexical_text, content='chunks', content_rowid='key',
            tokenize="unicode61 remove_diacritics 2 tokenchars '_'");
        CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab(chunks_fts, instance);
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, lexical_text) VALUES (new.key, new.lexical_text);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, lexical_text) VALUES ('delete', old.key, old.lexical_text);
        END;
        CREATE TRIGGER chunks_au AFTER UPDATE OF lexical_text ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, lexical_text) VALUES ('delete', old.key, old.lexical_text);
            INSERT INTO chunks_fts(rowid, lexical_text) VALUES (new.key, new.lexical_text);
        END;
        CREATE TABLE change_log(
            id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, op TEXT NOT NULL,
            chunk_key INTEGER NOT NULL, model_id TEXT);
        CREATE INDEX ix_change_log_seq ON change_log(seq);
        """,
        // 2: the late-bound code graph, per (repository, path).
        """
        CREATE TABLE symbols(
            repository TEXT NOT NULL, path TEXT NOT NULL, qualified_name TEXT NOT NULL, name TEXT NOT NULL,
            kind TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
            parent_qualified_name TEXT, signature TEXT, PRIMARY KEY(repository, path, qualified_name)) WITHOUT ROWID;
        CREATE INDEX ix_symbols_name ON symbols(name);
        CREATE INDEX ix_symbols_qualified_name ON symbols(qualified_name);
        CREATE TABLE calls(
            repository TEXT NOT NULL, path TEXT NOT NULL, ordinal INTEGER NOT NULL, caller TEXT NOT NULL,
            name TEXT NOT NULL, qualifier TEXT, line INTEGER NOT NULL, PRIMARY KEY(repository, path, ordinal)) WITHOUT ROWID;
        CREATE INDEX ix_calls_name ON calls(name);
        CREATE INDEX ix_calls_caller ON calls(repository, path, caller);
        CREATE TABLE imports(
            repository TEXT NOT NULL, path TEXT NOT NULL, ordinal INTEGER NOT NULL, module TEXT NOT NULL,
            names TEXT NOT NULL, alias TEXT, line INTEGER NOT NULL, PRIMARY KEY(repository, path, ordinal)) WITHOUT ROWID;
        CREATE TABLE inheritance(
            repository TEXT NOT NULL, path TEXT NOT NULL, ordinal INTEGER NOT NULL, type_qualified_name TEXT NOT NULL,
            base_name TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY(repository, path, ordinal)) WITHOUT ROWID;
        CREATE INDEX ix_inheritance_base ON inheritance(base_name);
        """,
        // 3: content-addressed embedding cache and Orleans grain state.
        """
        CREATE TABLE embedding_cache(
            model_id TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,
            PRIMARY KEY(model_id, text_hash)) WITHOUT ROWID;
        CREATE TABLE grain_state(
            state_name TEXT NOT NULL, grain_id TEXT NOT NULL, etag TEXT NOT NULL, payload BLOB NOT NULL,
            PRIMARY KEY(state_name, grain_id)) WITHOUT ROWID;
        """,
        // 4: file classes (code, test, docs, changelog, ...) on files and chunks; rows written before are code until re-synced.
        """
        ALTER TABLE files ADD COLUMN class TEXT NOT NULL DEFAULT 'code';
        ALTER TABLE chunks ADD COLUMN class TEXT NOT NULL DEFAULT 'code';
        """,
        // 5: one lexical document per file (path, symbol names, text), for file-level ranking; filled as files are written.
        """
        CREATE TABLE file_docs(
            doc INTEGER PRIMARY KEY AUTOINCREMENT, repository TEXT NOT NULL, path TEXT NOT NULL, UNIQUE(repository, path));
        CREATE VIRTUAL TABLE files_fts USING fts5(
            lexical_text, content='', contentless_delete=1,
            tokenize="unicode61 remove_diacritics 2 tokenchars '_'");
        """,
        // 6: vectors and the embedding cache as rowid tables with unique keys. In a WITHOUT ROWID table a row keeps at most
        // about 1 KB on its b-tree page (4 KB pages), so every 1.5 KB vector spilled its rest into an overflow page of its
        // own, about 2.9 KB of it unused: 4.7 KB on disk per vector, twice per chunk. A rowid table keeps the row whole.
        """
        CREATE TABLE vectors_rowid(
            chunk_id TEXT NOT NULL, model_id TEXT NOT NULL, embedding_key TEXT NOT NULL, vector BLOB NOT NULL);
        INSERT INTO vectors_rowid(chunk_id, model_id, embedding_key, vector)
            SELECT chunk_id, model_id, embedding_key, vector FROM vectors;
        DROP TABLE vectors;
        ALTER TABLE vectors_rowid RENAME TO vectors;
        CREATE UNIQUE INDEX ux_vectors ON vectors(chunk_id, model_id);
        CREATE TABLE embedding_cache_rowid(model_id TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL);
        INSERT INTO embedding_cache_rowid(model_id, text_hash, vector) SELECT model_id, text_hash, vector FROM embedding_cache;
        DROP TABLE embedding_cache;
        ALTER TABLE embedding_cache_rowid RENAME TO embedding_cache;
        CREATE UNIQUE INDEX ux_embedding_cache ON embedding_cache(model_id, text_hash);
        """,
        // 7: symbols by repository and qualified name (the primary key's path comes with each entry). An import of a
        // namespace looks for the files defining symbols under it in the importing repository first; through the
        // qualified-name index alone that read every repository's symbols under the name (`System.`: 37,800 of them on a
        // 1,000-repository store) to find the few of one, for each import of each expanded file.
        """
        CREATE INDEX ix_symbols_repository_qualified_name ON symbols(repository, qualified_name);
        """,
        // 8: per-file counts kept as files are written, so a repository's status sums its files instead of walking its
        // chunks, symbols and references (9 ms a repository, 9 s for `cgr status` of 1,000, on a 1.26M-chunk store).
        // The chunks awaiting vectors count for awaiting_model only: a file written under another model (or before this
        // migration, NULL) is counted from its chunks until it is written again.
        """
        ALTER TABLE files ADD COLUMN symbol_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE files ADD COLUMN reference_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE files ADD COLUMN awaiting_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE files ADD COLUMN awaiting_model TEXT;
        """ + RecountFiles,
        // 9: lexical postings in blocks with score bounds (LexicalPostings), so a lexical top-k skips what cannot reach it
        // where FTS5 scores every match (~300 ms for a common term over 1.26M chunks). Built when a writer opens the store.
        LexicalPostings.CreateSql,
        // 10: lexical postings written as one segment per transaction and merged into the blocks in bulk: each file's
        // fold rewrote the last block of every term it holds (a page per term in the write-ahead log), which halved the
        // indexing rate (N=5,000 fleet: 1,163 -> 631 chunks/s).
        LexicalPostings.CreateSegmentsSql,
    ];

    /// <summary>The version that writes lexical postings in segments first (<see cref="LexicalPostings.MergeSegments"/>).</summary>
    public const int LexicalSegmentsVersion = 10;

    /// <summary>The version that keeps lexical postings of its own (<see cref="LexicalPostings"/>).</summary>
    public const int LexicalPostingsVersion = 9;

    /// <summary>The version that keeps per-file counts (<see cref="RecountFiles"/>).</summary>
    public const int KeptCountsVersion = 8;

    /// <summary>
    /// Sets every file's kept counts from the rows (migration 8, and the repair after damage); the chunks awaiting vectors
    /// are then counted from the chunks until each file is written again.
    /// </summary>
    public const string RecountFiles = """
        UPDATE files SET
            symbol_count = (SELECT count(*) FROM symbols s WHERE s.repository = files.repository AND s.path = files.path),
            reference_count = (SELECT count(*) FROM calls c WHERE c.repository = files.repository AND c.path = files.path)
                + (SELECT count(*) FROM imports i WHERE i.repository = files.repository AND i.path = files.path)
                + (SELECT count(*) FROM inheritance h WHERE h.repository = files.repository AND h.path = files.path),
            awaiting_count = 0,
            awaiting_model = NULL;
        """;

    /// <summary>
    /// Migrations that rewrite tables, after which the database is compacted (<c>VACUUM</c>): 6 copies every vector, so
    /// without it an existing file grows by the new tables and keeps the old ones' pages free (a 200-repository index:
    /// 815 MB before, 958 MB after migrating, 511 MB compacted).
    /// </summary>
    private static readonly int[] CompactAfter = [6];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>The database's current schema version.</summary>
    public static int GetVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies every migration above the current version up to <paramref name="targetVersion"/>, each in its own transaction.</summary>
    /// <returns>True when a migration that rewrites tables ran, so the caller should compact the database.</returns>
    public static bool Migrate(SqliteConnection connection, int? targetVersion = null)
    {
        var target = targetVersion ?? LatestVersion;
        var current = GetVersion(connection);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException($"The database has schema version {current}, newer than this build supports ({LatestVersion}).");
        }

        var compact = false;
        for (var version = current + 1; version <= target; version++)
        {
            compact |= CompactAfter.Contains(version);
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + $"\nPRAGMA user_version = {version};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return compact;
    }
}
