using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;
using Microsoft.Data.Sqlite;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// The per-file counts a repository's status sums (migration 8) against the rows they stand for: after every kind of
/// write, across a model change, and filled in for a store made before them.
/// </summary>
public sealed class KeptCountsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Stats_AfterRewritesRemovalsAndVectorsFollowing_EqualTheRowsCountedOneByOne()
    {
        using var directory = new TempDirectory();
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        var graph = new FileGraph(
            [Symbol("m.f", SymbolKind.Function), Symbol("m.f", SymbolKind.Function, 7, 9), Symbol("m.C", SymbolKind.Class)],
            [new CallReference("m.f", "g", null, 2), new CallReference("m.f", "h", "x", 3)],
            [new ImportInfo("os", [], null, 1)],
            [new InheritanceInfo("m.C", "Base", 5)]);
        var a = Chunks("r", "a.py", "def f(): pass", "class C(Base): pass", "def g(): pass");
        await store.ApplyFileAsync(Update("r", "a.py", a, graph), Ct);
        await store.ApplyFileAsync(Update("r", "b.py", Chunks("r", "b.py", "x = 1", "y = 2"), vectorsFor: []) with { VectorsFollow = true }, Ct);
        await store.ApplyFileAsync(Update("r", "c.py", Chunks("r", "c.py", "z = 3"), new FileGraph([Symbol("c.z", SymbolKind.Function)], [], [], [])), Ct);
        await store.ApplyFileAsync(Update("other", "a.py", Chunks("other", "a.py", "def f(): pass")), Ct);
        await AssertKeptEqualsCountedAsync(store, "r", expectedAwaiting: 2);

        // a.py rewritten: one chunk's key changes without a vector, one chunk and the inheritance go away.
        var rekeyed = a[0] with { EmbeddingKey = ChunkIds.Hash("header\n" + a[0].Text) };
        var fewer = graph with { Inheritance = [] };
        await store.ApplyFileAsync(Update("r", "a.py", [rekeyed, a[1]], fewer, vectorsFor: [a[1]]) with { VectorsFollow = true }, Ct);
        await AssertKeptEqualsCountedAsync(store, "r", expectedAwaiting: 3);

        // A vector stored twice counts once; one for a key the chunk no longer has counts not at all.
        var b = Chunks("r", "b.py", "x = 1", "y = 2");
        Assert.Equal(1, await store.SetVectorsAsync("r", [new ChunkVector(b[0].Id, b[0].EmbeddingKey, VectorOf(b[0]))], Ct));
        Assert.Equal(1, await store.SetVectorsAsync("r", [new ChunkVector(b[0].Id, b[0].EmbeddingKey, VectorOf(b[0]))], Ct));
        Assert.Equal(0, await store.SetVectorsAsync("r", [new ChunkVector(a[0].Id, a[0].EmbeddingKey, VectorOf(a[0]))], Ct));
        await AssertKeptEqualsCountedAsync(store, "r", expectedAwaiting: 2);

        await store.RemoveFilesAsync("r", ["c.py"], Ct);
        await store.ApplyFileAsync(Update("r", "b.py", [], null) with { File = new FileRecord("r", "b.py", "python", "h", 1, "p1", FileStatus.Skipped, "binary", 0) }, Ct);
        await AssertKeptEqualsCountedAsync(store, "r", expectedAwaiting: 1);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task AwaitingVectors_StoreReopenedUnderAnotherModel_EveryChunkAwaitsUntilEmbeddedForIt()
    {
        using var directory = new TempDirectory();
        var chunks = Chunks("r", "a.py", "def f(): pass", "def g(): pass");
        await using (var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)))
        {
            await store.ApplyFileAsync(Update("r", "a.py", chunks), Ct);
            Assert.Equal(0, (await store.GetStatsAsync("r", Ct)).ChunksAwaitingVectors);
        }

        var other = EmbeddedStoreFactory.Options(directory.Path);
        other.ModelId = "another-model@2";
        await using var reopened = new EmbeddedStore(other);

        Assert.Equal(2, (await reopened.GetStatsAsync("r", Ct)).ChunksAwaitingVectors);
        Assert.Equal(1, await reopened.SetVectorsAsync("r", [new ChunkVector(chunks[0].Id, chunks[0].EmbeddingKey, VectorOf(chunks[0]))], Ct));
        Assert.Equal(1, await reopened.CountChunksAwaitingVectorsAsync("r", Ct));
        await reopened.ApplyFileAsync(Update("r", "a.py", chunks, vectorsFor: []) with { VectorsFollow = true }, Ct);
        Assert.Equal(1, await reopened.CountChunksAwaitingVectorsAsync("r", Ct));
        await AssertKeptEqualsCountedAsync(reopened, "r", expectedAwaiting: 1, modelId: "another-model@2");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_VersionSevenDatabase_CountsFilledInFromTheRows()
    {
        using var directory = new TempDirectory();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "index.db"), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            Schema.Migrate(connection, targetVersion: 7);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO files(repository, path, language, content_hash, size, pipeline_version, status, reason, chunk_count)
                VALUES ('r', 'a.py', 'python', 'h', 10, 'p0', 'Indexed', NULL, 1);
                INSERT INTO chunks(chunk_id, repository, path, language, symbol_path, kind, start_line, end_line, text, content_hash, embedding_key, lexical_text)
                VALUES ('c1', 'r', 'a.py', 'python', 'f', 'Function', 1, 1, 'def f(): g()', 'ch', 'ek', 'def f g');
                INSERT INTO symbols(repository, path, qualified_name, name, kind, start_line, end_line) VALUES ('r', 'a.py', 'a.f', 'f', 'Function', 1, 1);
                INSERT INTO calls(repository, path, ordinal, caller, name, line) VALUES ('r', 'a.py', 0, 'a.f', 'g', 1);
                INSERT INTO imports(repository, path, ordinal, module, names, line) VALUES ('r', 'a.py', 0, 'os', '', 1);
                """;
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        var stats = await store.GetStatsAsync("r", Ct);

        Assert.Equal((1L, 1L, 2L, 1L), (stats.Chunks, stats.Symbols, stats.References, stats.ChunksAwaitingVectors));
        await AssertKeptEqualsCountedAsync(store, "r", expectedAwaiting: 1);
    }

    private static async Task AssertKeptEqualsCountedAsync(EmbeddedStore store, string repository, long expectedAwaiting, string modelId = EmbeddedStoreFactory.ModelId)
    {
        var stats = await store.GetStatsAsync(repository, Ct);
        await using var connection = store.OpenConnection();
        long Count(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$r", repository);
            command.Parameters.AddWithValue("$m", modelId);
            return (long)command.ExecuteScalar()!;
        }

        Assert.Equal(Count("SELECT count(*) FROM chunks WHERE repository = $r"), stats.Chunks);
        Assert.Equal(Count("SELECT count(*) FROM symbols WHERE repository = $r"), stats.Symbols);
        Assert.Equal(
            Count("SELECT (SELECT count(*) FROM calls WHERE repository = $r) + (SELECT count(*) FROM imports WHERE repository = $r) + (SELECT count(*) FROM inheritance WHERE repository = $r)"),
            stats.References);
        var awaiting = Count("SELECT count(*) FROM chunks c WHERE c.repository = $r AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.chunk_id = c.chunk_id AND v.model_id = $m)");
        Assert.Equal(awaiting, stats.ChunksAwaitingVectors);
        Assert.Equal(expectedAwaiting, awaiting);
    }
}
