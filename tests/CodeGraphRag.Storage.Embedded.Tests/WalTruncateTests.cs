using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Data.Sqlite;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// The write-ahead log is started over by the writer's catch-up once it outgrows its limit, even after a reader held a
/// snapshot while the writes went on (the bulk index that grew it to 58 GB).
/// </summary>
public sealed class WalTruncateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CatchUp_LogGrownPastItsLimitBesideALongReader_TruncatedAndNothingLost()
    {
        using var directory = new TempDirectory();
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)) { WalTruncateBytes = 256 << 10 };
        var wal = store.DatabasePath + "-wal";
        await store.ApplyFileAsync(Update("r", "first.py", Chunks("r", "first.py", "def first(): pass")), Ct);

        await WriteBesideALongReaderAsync(store, async () =>
        {
            // While the snapshot is held the log cannot be checkpointed past it.
            await store.CatchUpDenseIndexAsync(Ct);
            Assert.True(new FileInfo(wal).Length > 4L << 20, $"{new FileInfo(wal).Length} bytes");
        });

        await store.CatchUpDenseIndexAsync(Ct);

        Assert.Equal(0, new FileInfo(wal).Length);
        Assert.Equal(1001, (await store.GetStatsAsync("r", Ct)).Chunks);
        Assert.NotEmpty(await store.SearchLexicalAsync(["f199_0"], 5, ChunkFilter.None, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Write_AfterACheckpointCopiedTheWholeLog_CutsTheLogFileDownToItsLimit()
    {
        using var directory = new TempDirectory();
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)) { WalTruncateBytes = 256 << 10 };
        var wal = store.DatabasePath + "-wal";
        await store.ApplyFileAsync(Update("r", "first.py", Chunks("r", "first.py", "def first(): pass")), Ct);

        // A reader's snapshot keeps the log from starting over while 200 files are written: it grows past 4 MB.
        await WriteBesideALongReaderAsync(store);

        var grown = new FileInfo(wal).Length;
        Assert.True(grown > 4L << 20, $"{grown} bytes");

        // No TRUNCATE checkpoint here: a passive one copies the whole log (no reader is left), and the next write starts
        // the log over, which cuts the file down to the limit instead of reusing all of it.
        await using (var checkpoint = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.DatabasePath, Pooling = false }.ToString()))
        {
            await checkpoint.OpenAsync(Ct);
            await using var command = checkpoint.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using var result = await command.ExecuteReaderAsync(Ct);
            Assert.True(await result.ReadAsync(Ct));
            Assert.Equal(result.GetInt64(1), result.GetInt64(2));
        }

        await store.ApplyFileAsync(Update("r", "last.py", Chunks("r", "last.py", "def last(): pass")), Ct);

        Assert.True(new FileInfo(wal).Length <= 256 << 10, $"{new FileInfo(wal).Length} bytes after the log started over (was {grown})");
        Assert.Equal(1002, (await store.GetStatsAsync("r", Ct)).Chunks);
        Assert.NotEmpty(await store.SearchLexicalAsync(["f199_0"], 5, ChunkFilter.None, Ct));
    }

    /// <summary>
    /// Writes 200 files of five chunks while a reader holds a snapshot taken after the store's one chunk, so no automatic
    /// checkpoint can start the log over; <paramref name="whileHeld"/> runs before the reader lets go.
    /// </summary>
    private static async Task WriteBesideALongReaderAsync(EmbeddedStore store, Func<Task>? whileHeld = null)
    {
        await using var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await reader.OpenAsync(Ct);
        await using var transaction = (SqliteTransaction)await reader.BeginTransactionAsync(Ct);
        await using (var command = reader.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM chunks";
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync(Ct))!);
        }

        for (var file = 0; file < 200; file++)
        {
            var path = $"m{file:D3}.py";
            await store.ApplyFileAsync(Update("r", path, Chunks("r", path, [.. Enumerable.Range(0, 5).Select(i => $"def f{file}_{i}(): return {string.Join(" + ", Enumerable.Range(0, 40))}")])), Ct);
        }

        if (whileHeld is not null)
        {
            await whileHeld();
        }
    }
}
