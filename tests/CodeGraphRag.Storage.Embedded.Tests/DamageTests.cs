using System.Text.Json.Nodes;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Data.Sqlite;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>Damage to the database or the ANN file is found (at open after an unclean close, or on demand) and repaired.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DamageTests : IDisposable
{
    private const int Files = 40;
    private readonly TempDirectory _temp = new("cgr-damage");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Data => Path.Combine(_temp.Path, "data");

    private string Database => Path.Combine(Data, "index.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Open_AfterCleanClose_SkipsTheCheck()
    {
        await FillAndCloseAsync(Data);

        await using (var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(Data)))
        {
            Assert.False(writer.CheckedAtOpen);
        }

        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, readOnly: true));
        Assert.False(reader.CheckedAtOpen);
    }

    [Fact]
    public async Task Open_ImageOfAKilledWriter_ChecksThenOpens()
    {
        var image = Path.Combine(_temp.Path, "image");
        await using (var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(Data)))
        {
            await FillAsync(writer);
            CopyAsAKillLeavesIt(Data, image);
        }

        await using var reopened = new EmbeddedStore(EmbeddedStoreFactory.Options(image));

        Assert.True(reopened.CheckedAtOpen);
        Assert.Equal(Files * 3, (await reopened.ExportLogicalStateAsync(cancellationToken: Ct)).Chunks);
    }

    [Fact]
    public async Task Open_ImageOfAKilledWriterWithAGarbledPage_ThrowsDamagedNamingTheFile()
    {
        var image = Path.Combine(_temp.Path, "image");
        await using (var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(Data)))
        {
            await FillAsync(writer);
            CopyAsAKillLeavesIt(Data, image);
        }

        DatabaseDamage.GarbleMiddleTablePage(Path.Combine(image, "index.db"));

        var error = Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(image)));
        Assert.Equal(Path.Combine(image, "index.db"), error.DatabasePath);
        Assert.Contains(Path.Combine(image, "index.db"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(image, readOnly: true)));
    }

    [Fact]
    public async Task Open_GarbageWrittenAfterACleanClose_ThrowsDamagedForWritersAndReaders()
    {
        await FillAndCloseAsync(Data);
        Assert.False(File.Exists(Database + "-wal"), "a clean close folds the WAL into the database");

        DatabaseDamage.GarbleMiddleTablePage(Database);

        Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(Data, readOnly: true)));
        Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(Data)));
    }

    [Fact]
    public async Task Search_PageDamagedAfterOpen_ThrowsDamagedNotAStorageError()
    {
        await FillAndCloseAsync(Data);
        var chunksRoot = RootPage(Database, "chunks");
        await using var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(Data));
        DatabaseDamage.GarblePage(Database, chunksRoot);

        // A reader skips the open check while a writer runs; SQLite's own error 11 must still name the file.
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, readOnly: true));
        var error = await Assert.ThrowsAsync<DatabaseDamagedException>(() => reader.SearchLexicalAsync(["compute"], 5, ChunkFilter.None, Ct));

        Assert.False(reader.CheckedAtOpen);
        Assert.Equal(Database, error.DatabasePath);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TruncatedAnnFileAfterACleanClose_RebuildsItFromSqlite()
    {
        await FillAndCloseAsync(Data, exactThreshold: 10);
        var query = VectorOf(Chunk("r", "f7.py", Text(7, 1)));
        var expected = await DenseAsync(Data, query);
        var ann = AnnFile(Data);

        DatabaseDamage.Truncate(ann);

        await using (var store = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10)))
        {
            Assert.True(store.CheckedAtOpen);
            Assert.True(store.UsesAnnIndex);
            Assert.Equal(expected, (await store.SearchDenseAsync(query, 5, ChunkFilter.None, Ct)).Select(h => h.ChunkId));
        }

        await using var reopened = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10));
        Assert.False(reopened.CheckedAtOpen);
        Assert.Null(reopened.DenseIndex.VerifyAndRebuild());
    }

    [Fact]
    public async Task CheckIntegrity_TruncatedAnnFileTheOpenDidNotSee_ReportsAndRebuilds()
    {
        await FillAndCloseAsync(Data, exactThreshold: 10);
        var query = VectorOf(Chunk("r", "f3.py", Text(3, 0)));
        var expected = await DenseAsync(Data, query);
        DatabaseDamage.Truncate(AnnFile(Data));
        CleanClose.Write(Data);
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10, readOnly: true));
        Assert.False(reader.CheckedAtOpen);

        var report = await reader.CheckIntegrityAsync(Ct);

        Assert.Contains(report.Rebuilt, line => line.Contains("truncated", StringComparison.Ordinal));
        Assert.Equal(expected, (await reader.SearchDenseAsync(query, 5, ChunkFilter.None, Ct)).Select(h => h.ChunkId));
    }

    [Fact]
    public async Task CheckIntegrity_AnnFileMissingNewerVectors_RebuildsFromSqlite()
    {
        await FillAndCloseAsync(Data, exactThreshold: 10);
        var stale = Path.Combine(_temp.Path, "stale");
        Directory.CreateDirectory(stale);
        foreach (var file in Directory.GetFiles(Data, "ann-*"))
        {
            File.Copy(file, Path.Combine(stale, Path.GetFileName(file)));
        }

        var added = Chunk("r", "added.py", "def added_later(): return 'a vector the stale index never saw'");
        await using (var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10)))
        {
            await writer.ApplyFileAsync(Update("r", "added.py", [added]), Ct);
        }

        // The old index file under a meta file that claims the current commit: its checksum matches, its keys do not.
        var meta = Directory.GetFiles(Data, "ann-*.json").Single();
        var sequence = JsonNode.Parse(File.ReadAllText(meta))!["CommitSequence"]!.GetValue<long>();
        File.Copy(Directory.GetFiles(stale, "ann-*.usearch").Single(), AnnFile(Data), overwrite: true);
        var staleMeta = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(stale, "ann-*.json").Single()))!;
        staleMeta["CommitSequence"] = sequence;
        File.WriteAllText(meta, staleMeta.ToJsonString());
        CleanClose.Write(Data);
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10, readOnly: true));
        Assert.NotEqual(added.Id, (await reader.SearchDenseAsync(VectorOf(added), 1, ChunkFilter.None, Ct))[0].ChunkId);

        var report = await reader.CheckIntegrityAsync(Ct);

        Assert.Contains(report.Rebuilt, line => line.Contains("1 of SQLite's 121 missing", StringComparison.Ordinal));
        Assert.Equal(added.Id, (await reader.SearchDenseAsync(VectorOf(added), 1, ChunkFilter.None, Ct))[0].ChunkId);
    }

    [Fact]
    public async Task CheckIntegrity_HealthyStore_ReportsChecksAndRebuildsNothing()
    {
        await FillAndCloseAsync(Data, exactThreshold: 10);
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10, readOnly: true));

        var report = await reader.CheckIntegrityAsync(Ct);

        Assert.Empty(report.Rebuilt);
        Assert.Contains(report.Checks, line => line.Contains("quick_check", StringComparison.Ordinal));
        Assert.Contains(report.Checks, line => line.Contains("ANN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_ReaderAfterTheLexicalIndexWasDamaged_ThrowsDamaged()
    {
        await FillAndCloseAsync(Data);
        DamageLexicalIndexes(Database);

        var error = Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(Data, readOnly: true)));

        Assert.Contains("_fts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_DamagedLexicalIndex_RebuildsInPlaceAndEqualsTheOriginal()
    {
        await FillAndCloseAsync(Data, exactThreshold: 10);
        var before = await ExportAsync(Data);
        DamageLexicalIndexes(Database);
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            // The kept counts and the lexical postings are derived too: wrong ones are set from the rows again.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE files SET symbol_count = 999, reference_count = 5, awaiting_count = 7, awaiting_model = '{EmbeddedStoreFactory.ModelId}';
                DELETE FROM lex_blocks WHERE term IN (SELECT term FROM lex_blocks ORDER BY term LIMIT 5);
                UPDATE meta SET value = '3' WHERE key = 'lex_rows';
                """;
            command.ExecuteNonQuery();
        }

        Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10)));

        var report = await EmbeddedStoreRepair.RepairAsync(EmbeddedStoreFactory.Options(Data, exactThreshold: 10), TimeProvider.System, cancellationToken: Ct);

        Assert.Null(report.MovedAsideTo);
        Assert.Contains(report.Actions, a => a.Contains("chunks_fts", StringComparison.Ordinal));
        Assert.Contains(report.Actions, a => a.Contains("files_fts", StringComparison.Ordinal));
        Assert.Contains(report.Actions, a => a.StartsWith("ANN index rebuilt", StringComparison.Ordinal));
        Assert.Contains(report.Actions, a => a.StartsWith("emptied the lexical postings", StringComparison.Ordinal));
        Assert.Equal(before, await ExportAsync(Data));
        await using var reopened = new EmbeddedStore(EmbeddedStoreFactory.Options(Data, exactThreshold: 10));
        Assert.False(reopened.CheckedAtOpen);
        Assert.Single(await reopened.SearchFilesLexicalAsync(["function_12_1"], 5, ChunkFilter.None, Ct));
        Assert.Contains(report.Actions, a => a.StartsWith("recounted each file's symbols and references", StringComparison.Ordinal));
        var stats = await reopened.GetStatsAsync("r", Ct);
        Assert.Equal((Files * 3L, 0L, 0L, 0L), (stats.Chunks, stats.Symbols, stats.References, stats.ChunksAwaitingVectors));
    }

    [Fact]
    public async Task Repair_GarbledTablePage_MovesTheDatabaseAsideAndListsItsRepositories()
    {
        await FillAndCloseAsync(Data);
        var original = File.ReadAllBytes(Database).Length;
        DatabaseDamage.GarbleMiddleTablePage(Database);
        var time = new FixedTime(new DateTimeOffset(2026, 12, 5, 13, 45, 7, TimeSpan.Zero));

        var report = await EmbeddedStoreRepair.RepairAsync(EmbeddedStoreFactory.Options(Data), time, cancellationToken: Ct);

        Assert.Equal(Database + ".damaged-20261205T134507Z", report.MovedAsideTo);
        Assert.Equal(original, new FileInfo(report.MovedAsideTo!).Length);
        Assert.False(File.Exists(Database));
        Assert.Empty(Directory.GetFiles(Data, "ann-*"));
        Assert.Equal([("r", "/work/r")], report.RepositoriesToIndex!.Select(r => (r.Name, r.Source)));
        await using var fresh = new EmbeddedStore(EmbeddedStoreFactory.Options(Data));
        Assert.Empty(await fresh.ListRepositoriesAsync(Ct));
    }

    [Fact]
    public async Task Repair_NotADatabase_ListsRepositoriesFromTheCopyOrNoneWithoutIt()
    {
        await FillAndCloseAsync(Data);
        DatabaseDamage.GarbleHeader(Database);
        Assert.Throws<DatabaseDamagedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(Data)));

        var report = await EmbeddedStoreRepair.RepairAsync(EmbeddedStoreFactory.Options(Data), TimeProvider.System, cancellationToken: Ct);

        Assert.NotNull(report.CatalogProblem);
        Assert.NotNull(report.MovedAsideTo);
        Assert.Equal([("r", "/work/r")], report.RepositoriesToIndex!.Select(r => (r.Name, r.Source)));

        await FillAndCloseAsync(Data);
        DatabaseDamage.GarbleHeader(Database);
        File.Delete(Path.Combine(Data, "catalog.json"));
        var withoutCopy = await EmbeddedStoreRepair.RepairAsync(EmbeddedStoreFactory.Options(Data), TimeProvider.System, cancellationToken: Ct);
        Assert.Null(withoutCopy.RepositoriesToIndex);
        Assert.NotEqual(report.MovedAsideTo, withoutCopy.MovedAsideTo);
    }

    private static string Text(int file, int chunk) =>
        $"def function_{file}_{chunk}(argument):\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"    value_{file}_{chunk}_{i} = compute(argument, {i})  # line {i} of a chunk long enough to fill pages\n"));

    private static async Task FillAsync(EmbeddedStore store)
    {
        await store.UpsertRepositoryAsync(new RepositoryInfo("r", "/work/r", null, null, null, []), Ct);
        for (var file = 0; file < Files; file++)
        {
            var path = $"f{file}.py";
            var chunks = Enumerable.Range(0, 3).Select(c => Chunk("r", path, Text(file, c), startLine: (c * 20) + 1)).ToList();
            await store.ApplyFileAsync(Update("r", path, chunks), Ct);
        }
    }

    private static async Task FillAndCloseAsync(string directory, int exactThreshold = 20_000)
    {
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory, exactThreshold: exactThreshold));
        await FillAsync(store);
    }

    private static async Task<List<string>> DenseAsync(string directory, float[] query)
    {
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory, exactThreshold: 10, readOnly: true));
        return [.. (await store.SearchDenseAsync(query, 5, ChunkFilter.None, Ct)).Select(h => h.ChunkId)];
    }

    private static async Task<string> ExportAsync(string directory)
    {
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory, exactThreshold: 10, readOnly: true));
        return (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json;
    }

    /// <summary>Deletes most FTS5 segment blocks: pages stay well-formed, the lexical indexes do not.</summary>
    private static void DamageLexicalIndexes(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM chunks_fts_data WHERE id > 10; DELETE FROM files_fts_data WHERE id > 10;";
        command.ExecuteNonQuery();
    }

    private static string AnnFile(string directory) => Directory.GetFiles(directory, "ann-*.usearch").Single();

    /// <summary>
    /// The files a kill -9 of the running writer would leave (no clean-close record), after folding the WAL into the
    /// database so page damage lands where SQLite reads it.
    /// </summary>
    private static void CopyAsAKillLeavesIt(string directory, string image)
    {
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "index.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
        }

        Directory.CreateDirectory(image);
        foreach (var file in Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith("write.lock", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(image, Path.GetFileName(file)));
        }

        Assert.False(File.Exists(Path.Combine(image, "clean-close.json")));
    }

    private static int RootPage(string database, string table)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rootpage FROM sqlite_schema WHERE name = $n";
        command.Parameters.AddWithValue("$n", table);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
