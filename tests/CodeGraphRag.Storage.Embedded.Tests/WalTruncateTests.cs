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

        // A reader inside a snapshot while 200 files are written: no automatic checkpoint can start the log over.
        await using (var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
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

            // While the snapshot is held the log cannot be checkpointed past it.
            await store.CatchUpDenseIndexAsync(Ct);
            Assert.True(new FileInfo(wal).Length > 4L << 20, $"{new FileInfo(wal).Length} bytes");
        }

        await store.CatchUpDenseIndexAsync(Ct);

        Assert.Equal(0, new FileInfo(wal).Length);
        Assert.Equal(1001, (await store.GetStatsAsync("r", Ct)).Chunks);
        Assert.NotEmpty(await store.SearchLexicalAsync(["f199_0"], 5, ChunkFilter.None, Ct));
    }
}
