using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_VersionOneDatabase_MigratesToLatestKeepingData()
    {
        using var directory = new TempDirectory();
        var databasePath = Path.Combine(directory.Path, "index.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            Schema.Migrate(connection, targetVersion: 1);
            Assert.Equal(1, Schema.GetVersion(connection));
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO files(repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count)
                VALUES ('r', 'old.py', 'python', 'h', 10, 'p0', 'Indexed', NULL, 0)
                """;
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        await store.ApplyFileAsync(ConformanceData.GraphFile("r", "new.py", new([ConformanceData.Symbol("new.f", Abstractions.Parsing.SymbolKind.Function)], [], [], [])), Ct);
        await store.PutManyAsync("m", [new KeyValuePair<string, float[]>("h1", new[] { 1f, 2f })], Ct);

        Assert.Equal(["new.py", "old.py"], (await store.GetManifestAsync("r", Ct)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, (await store.GetStatsAsync("r", Ct)).Symbols);
        var cached = await store.GetManyAsync("m", ["h1", "h2"], Ct);
        Assert.Equal(new[] { 1f, 2f }, Assert.Single(cached).Value);
        await using var check = store.OpenConnection();
        Assert.Equal(Schema.LatestVersion, Schema.GetVersion(check));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_VersionFiveDatabase_VectorsAndCacheMovedToRowidTablesKeepingRowsAndKeysThenCompacted()
    {
        using var directory = new TempDirectory();
        var databasePath = Path.Combine(directory.Path, "index.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString();
        var chunk = ConformanceData.Chunk("r", "a.py", "def a(): return 1");
        var vector = ConformanceData.VectorOf(chunk);
        var blob = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            Schema.Migrate(connection, targetVersion: 5);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO files(repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count)
                VALUES ('r', 'a.py', 'python', 'h', 10, 'p0', 'Indexed', NULL, 1);
                INSERT INTO chunks(chunk_id, repository, path, language, symbol_path, kind, start_line, end_line, text, content_hash, embedding_key, lexical_text)
                VALUES ($id, 'r', 'a.py', 'python', 'a', 'Function', 1, 1, 'def a(): return 1', 'ch', 'ek', 'def a return 1');
                INSERT INTO vectors(chunk_id, model_id, embedding_key, vector) VALUES ($id, $m, 'ek', $v);
                INSERT INTO embedding_cache(model_id, text_hash, vector) VALUES ($m, 'ek', $v);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                INSERT INTO embedding_cache(model_id, text_hash, vector) SELECT 'other', 'h' || i, zeroblob(1536) FROM n;
                """;
            insert.Parameters.AddWithValue("$id", chunk.Id);
            insert.Parameters.AddWithValue("$m", EmbeddedStoreFactory.ModelId);
            insert.Parameters.AddWithValue("$v", blob);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        var hit = Assert.Single(await store.SearchDenseAsync(vector, 5, Abstractions.Storage.ChunkFilter.None, Ct));
        Assert.Equal(chunk.Id, hit.ChunkId);
        await store.PutManyAsync(EmbeddedStoreFactory.ModelId, [new KeyValuePair<string, float[]>("ek", new float[vector.Length])], Ct);
        Assert.Equal(vector, Assert.Single(await store.GetManyAsync(EmbeddedStoreFactory.ModelId, ["ek"], Ct)).Value);

        await using var check = store.OpenConnection();
        Assert.Equal(Schema.LatestVersion, Schema.GetVersion(check));
        await using var command = check.CreateCommand();
        command.CommandText = """
            SELECT (SELECT freelist_count FROM pragma_freelist_count),
                   (SELECT count(*) FROM sqlite_schema WHERE name IN ('vectors', 'embedding_cache') AND sql LIKE '%WITHOUT ROWID%'),
                   (SELECT count(*) FROM vectors), (SELECT count(*) FROM embedding_cache),
                   (SELECT count(*) FROM sqlite_schema WHERE name IN ('ux_vectors', 'ux_embedding_cache'))
            """;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((0L, 0L, 1L, 101L, 2L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Migrate_NewerThanBuild_Refused()
    {
        using var directory = new TempDirectory();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "index.db"), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {Schema.LatestVersion + 1}";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var error = Assert.Throws<EmbeddedStorageException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Throws<EmbeddedStorageException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)));
    }
}
