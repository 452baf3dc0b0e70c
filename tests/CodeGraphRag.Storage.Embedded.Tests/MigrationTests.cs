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
