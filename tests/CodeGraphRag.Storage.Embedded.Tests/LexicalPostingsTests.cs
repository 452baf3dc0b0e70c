using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Data.Sqlite;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// The store's own lexical postings (<see cref="LexicalPostings"/>, <see cref="LexicalTopK"/>): the same hits, order and
/// scores as FTS5's BM25 query through writes, rewrites and removals; kept equal to a rebuild; built for older stores.
/// </summary>
public sealed class LexicalPostingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Zipf-like: the first words are in most chunks, the last in a few; w0 also stands for the IDF floor (> half).
    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, 60).Select(i => $"w{i}"), "Config", "parse_json", "HTTPServer", "value2"];

    private static string RandomText(Random random)
    {
        var words = new List<string>();
        var length = random.Next(1, 40);
        for (var i = 0; i < length; i++)
        {
            var index = (int)Math.Min(Vocabulary.Length - 1, Math.Floor(Math.Pow(random.NextDouble(), 2.5) * Vocabulary.Length));
            words.Add(Vocabulary[index]);
        }

        return string.Join(random.Next(3) == 0 ? "(" : " ", words);
    }

    private static async Task WriteFileAsync(EmbeddedStore store, Random random, string repository, string path, Dictionary<string, string> owners)
    {
        var texts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(8) == 0 ? "w1 w2 shared text" : RandomText(random)).ToArray();
        var chunks = Chunks(repository, path, texts);
        await store.ApplyFileAsync(Update(repository, path, chunks), Ct);
        foreach (var chunk in chunks)
        {
            owners[chunk.Id] = repository;
        }
    }

    /// <summary>Random writes, rewrites and removals over three repositories (chunks identical across them tie in BM25).</summary>
    private static async Task<Dictionary<string, string>> WriteHistoryAsync(EmbeddedStore store, Random random)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] repositories = ["alpha", "beta", "gamma"];
        for (var step = 0; step < 90; step++)
        {
            var repository = repositories[random.Next(repositories.Length)];
            var path = $"src/f{random.Next(25)}.py";
            if (random.Next(6) == 0)
            {
                await store.RemoveFilesAsync(repository, [path], Ct);
            }
            else
            {
                await WriteFileAsync(store, random, repository, path, owners);
            }
        }

        return owners;
    }

    private static IEnumerable<string[]> Queries(Random random)
    {
        yield return ["w0"];
        yield return ["w1", "w2"];
        yield return ["config", "Config", "absent"];
        yield return ["parse_json", "httpserver"];
        yield return ["value2", "w59", "w58", "w3"];
        for (var i = 0; i < 25; i++)
        {
            yield return [.. Enumerable.Range(0, random.Next(1, 9)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)].ToLowerInvariant())];
        }
    }

    /// <summary>Merges every segment into the blocks in its own transaction, as the writer does when they pile up.</summary>
    private static void MergeSegments(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        LexicalPostings.MergeSegments(connection, transaction);
        transaction.Commit();
    }

    private static async Task AssertPostingsEqualFts5Async(EmbeddedStore store, Random random)
    {
        await using var connection = store.OpenConnection();
        var filters = new[] { ChunkFilter.None, new ChunkFilter(["alpha"], null, null), new ChunkFilter(["beta", "gamma"], null, null), new ChunkFilter(["nobody"], null, null) };
        foreach (var terms in Queries(random))
        {
            var match = EmbeddedStore.BuildMatchExpression(terms)!;
            foreach (var filter in filters)
            {
                foreach (var k in new[] { 1, 3, 10, 1000 })
                {
                    var expected = EmbeddedStore.LexicalFullQuery(connection, match, k, FilterSql.From(filter));
                    var actual = store.LexicalFromPostings(connection, terms, k, filter);
                    Assert.NotNull(actual);
                    Assert.Equal(expected.Select(h => h.ChunkId), actual.Select(h => h.ChunkId));
                    Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score));
                }
            }
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_AfterRandomWritesRewritesAndRemovals_SameHitsOrderAndScoresAsFts5()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var random = new Random(20261207);

        await WriteHistoryAsync(store, random);
        await AssertPostingsEqualFts5Async(store, random);

        await store.RemoveRepositoryAsync("beta", Ct);
        await AssertPostingsEqualFts5Async(store, random);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_ManyChunksOneCommonTerm_SkipsButReturnsTheExactTopK()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var random = new Random(7);
        // 1,500 chunks (blocks of 128-256): "common" everywhere, "rare" in a few of the last files, graded lengths and frequencies.
        for (var file = 0; file < 150; file++)
        {
            var texts = Enumerable.Range(0, 10).Select(i =>
                string.Join(' ', Enumerable.Repeat("common", 1 + random.Next(4)).Concat(Enumerable.Repeat("filler", random.Next(30)))
                    .Concat(file >= 140 && random.Next(4) == 0 ? ["rare", "rare"] : []))).ToArray();
            await store.ApplyFileAsync(Update(file % 2 == 0 ? "even" : "odd", $"m{file:D3}.py", Chunks(file % 2 == 0 ? "even" : "odd", $"m{file:D3}.py", texts)), Ct);
        }

        await using var connection = store.OpenConnection();
        foreach (var terms in new[] { new[] { "rare", "common" }, ["common"], ["common", "filler", "rare"] })
        {
            foreach (var filter in new[] { ChunkFilter.None, new ChunkFilter(["odd"], null, null) })
            {
                foreach (var k in new[] { 1, 10, 50 })
                {
                    var expected = EmbeddedStore.LexicalFullQuery(connection, EmbeddedStore.BuildMatchExpression(terms)!, k, FilterSql.From(filter));
                    Assert.Equal(expected, await store.SearchLexicalAsync(terms, k, filter, Ct));
                    Assert.Equal(expected, store.LexicalFromPostings(connection, terms, k, filter));
                }
            }
        }

        // The point of the bounds: "common" (in every chunk, IDF at FTS5's floor) cannot lift a chunk without "rare" into
        // the top 10, so only the few chunks holding "rare" are scored, and common's blocks before them are never decoded.
        using var transaction = connection.BeginTransaction(deferred: true);
        var work = new LexicalTopK.SearchWork();
        var hits = LexicalTopK.Search(connection, transaction, ["rare", "common"], 10, null, work);
        Assert.Equal(10, hits.Count);
        Assert.InRange(work.Postings, 1_501, 1_600);
        Assert.InRange(work.Scored, 10, 100);
        Assert.InRange(work.BlocksDecoded, 1, work.Blocks / 2);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Postings_AfterHistory_EqualARebuildFromTheChunksAndStepwiseBackfillWithWritesBetween()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        var random = new Random(11);
        string incremental;
        await using (var store = new EmbeddedStore(options))
        {
            await WriteHistoryAsync(store, random);
            incremental = (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json;
            Assert.Contains("\"postings\"", incremental, StringComparison.Ordinal);

            // Emptied and rebuilt a few chunks at a time, with a write and a removal between the steps: a write folds
            // only the chunks the backfill has passed; the rest are read from the chunks when it gets there.
            await using var connection = store.OpenConnection();
            ExecuteSql(connection, LexicalPostings.ResetSql);
            Assert.False(LexicalPostings.Ready(connection, null));
            Assert.Null(store.LexicalFromPostings(connection, ["w1"], 5, ChunkFilter.None));
            Assert.Equal(7, LexicalPostings.BackfillStep(connection, 7));
            await WriteFileAsync(store, random, "alpha", "late.py", []);
            await store.RemoveFilesAsync("beta", ["src/f3.py", "src/f4.py"], Ct);
            while (LexicalPostings.BackfillStep(connection, 7) is > 0)
            {
            }

            Assert.Null(LexicalPostings.BackfillStep(connection, 7));
            Assert.True(LexicalPostings.Ready(connection, null));
            incremental = (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json;
            await AssertPostingsEqualFts5Async(store, random);
        }

        // A second reset is built by the next writer's open in one go: the same logical state.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "index.db"), Pooling = false }.ToString()))
        {
            await connection.OpenAsync(Ct);
            ExecuteSql(connection, LexicalPostings.ResetSql);
        }

        await using (var reopened = new EmbeddedStore(options))
        {
            Assert.Equal(incremental, (await reopened.ExportLogicalStateAsync(cancellationToken: Ct)).Json);
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Writes_GoToSegmentsMergedInBulk_SearchesReadBlocksAndSegmentsAsFts5Scores()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var random = new Random(5);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = store.OpenConnection();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        // Each write is one segment; nothing reaches the blocks yet, and searches read the segments alone.
        for (var file = 0; file < 20; file++)
        {
            await WriteFileAsync(store, random, file % 2 == 0 ? "alpha" : "beta", $"src/f{file}.py", owners);
        }

        Assert.Equal(20, Scalar("SELECT count(*) FROM lex_segments"));
        Assert.Equal(0, Scalar("SELECT count(*) FROM lex_blocks"));
        await AssertPostingsEqualFts5Async(store, random);

        // Merged into blocks; then rewrites and removals of those chunks sit in segments over the blocks.
        MergeSegments(connection);

        Assert.Equal(0, Scalar("SELECT count(*) FROM lex_segments"));
        var exported = (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json;
        for (var file = 0; file < 20; file += 3)
        {
            await WriteFileAsync(store, random, file % 2 == 0 ? "alpha" : "beta", $"src/f{file}.py", owners);
        }

        await store.RemoveFilesAsync("beta", ["src/f1.py", "src/f5.py"], Ct);
        await store.RemoveFilesAsync("beta", ["src/f7.py"], Ct);
        Assert.True(Scalar("SELECT count(*) FROM lex_blocks") > 0);
        Assert.Equal(9, Scalar("SELECT count(*) FROM lex_segments"));
        Assert.NotEqual(exported, (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json);
        await AssertPostingsEqualFts5Async(store, random);

        // The 64th segment merges them all in its own transaction; the export is the same either way.
        for (var file = 20; Scalar("SELECT count(*) FROM lex_segments") > 0; file++)
        {
            Assert.True(file < 20 + LexicalPostings.SegmentsMax, "the segments were never merged");
            await WriteFileAsync(store, random, "gamma", $"src/g{file}.py", owners);
        }

        Assert.Equal(0, Scalar("SELECT count(*) FROM lex_segments"));
        await AssertPostingsEqualFts5Async(store, random);
        await WriteFileAsync(store, random, "alpha", "src/f0.py", owners);
        var withSegment = (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json;
        MergeSegments(connection);

        Assert.Equal(withSegment, (await store.ExportLogicalStateAsync(cancellationToken: Ct)).Json);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Postings_MostOfAnOldRangeRemoved_SmallBlocksMergedAndStillExact()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        for (var file = 0; file < 60; file++)
        {
            var path = $"m{file:D2}.py";
            await store.ApplyFileAsync(Update("r", path, Chunks("r", path, [.. Enumerable.Range(0, 10).Select(i => $"alpha beta{file} {string.Join(' ', Enumerable.Repeat("gamma", i))}")])), Ct);
        }

        await using var connection = store.OpenConnection();
        long Blocks(string term)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM lex_blocks WHERE term = $t";
            command.Parameters.AddWithValue("$t", term);
            return (long)command.ExecuteScalar()!;
        }

        MergeSegments(connection);
        var before = Blocks("alpha");
        await store.RemoveFilesAsync("r", [.. Enumerable.Range(0, 50).Where(f => f % 10 != 0).Select(f => $"m{f:D2}.py")], Ct);
        MergeSegments(connection);

        // 600 postings in 3 or more blocks; 150 left: the worn-down blocks merged into the ones after them.
        Assert.True(before >= 3, $"{before} blocks");
        Assert.True(Blocks("alpha") < before, $"{Blocks("alpha")} blocks of {before}");
        foreach (var terms in new[] { new[] { "alpha" }, ["gamma", "beta0"], ["beta55", "alpha"] })
        {
            foreach (var k in new[] { 1, 10, 200 })
            {
                Assert.Equal(
                    EmbeddedStore.LexicalFullQuery(connection, EmbeddedStore.BuildMatchExpression(terms)!, k, null),
                    store.LexicalFromPostings(connection, terms, k, ChunkFilter.None));
            }
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_VersionEightDatabase_PostingsBuiltFromTheChunksAndSearched()
    {
        using var directory = new TempDirectory();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "index.db"), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            Schema.Migrate(connection, targetVersion: 8);
            ExecuteSql(connection, """
                INSERT INTO chunks(chunk_id, repository, path, language, symbol_path, kind, start_line, end_line, text, content_hash, embedding_key, lexical_text)
                VALUES ('c1', 'r', 'a.py', 'python', 'f', 'Function', 1, 1, 'x', 'ch', 'ek', 'parse json config parse'),
                       ('c2', 'r', 'b.py', 'python', 'g', 'Function', 1, 1, 'y', 'ch', 'ek', 'read config file'),
                       ('c3', 'o', 'c.py', 'python', 'h', 'Function', 1, 1, 'z', 'ch', 'ek', 'parse everything');
                """);
        }

        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        await using var open = store.OpenConnection();
        Assert.True(LexicalPostings.Ready(open, null));
        Assert.Equal((3L, 9L), LexicalPostings.ReadTotals(open, null));
        var hits = store.LexicalFromPostings(open, ["parse", "config"], 10, ChunkFilter.None);
        Assert.Equal(["c1", "c3", "c2"], hits!.Select(h => h.ChunkId));
        Assert.Equal(
            EmbeddedStore.LexicalFullQuery(open, EmbeddedStore.BuildMatchExpression(["parse", "config"])!, 10, null),
            hits);
        Assert.Equal(["c1"], store.LexicalFromPostings(open, ["parse"], 10, new ChunkFilter(["r"], null, null))!.Select(h => h.ChunkId));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_ChangesNotFoldedOrFiltersItCannotApply_AnsweredByFts5()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await store.ApplyFileAsync(Update("r", "a.py", Chunks("r", "a.py", "parse the config", "other words")), Ct);
        await using var connection = store.OpenConnection();

        // A chunk written by a path that did not fold: the postings step aside until the next fold.
        ExecuteSql(connection, """
            INSERT INTO chunks(chunk_id, repository, path, language, symbol_path, kind, start_line, end_line, text, content_hash, embedding_key, lexical_text)
            VALUES ('raw', 'r', 'b.py', 'python', '', 'TopLevel', 1, 1, 'config', 'ch', 'ek', 'config');
            """);
        Assert.Null(store.LexicalFromPostings(connection, ["config"], 5, ChunkFilter.None));
        Assert.Contains("raw", (await store.SearchLexicalAsync(["config"], 5, ChunkFilter.None, Ct)).Select(h => h.ChunkId));

        await store.ApplyFileAsync(Update("r", "c.py", Chunks("r", "c.py", "unrelated")), Ct);
        Assert.Contains("raw", store.LexicalFromPostings(connection, ["config"], 5, ChunkFilter.None)!.Select(h => h.ChunkId));

        // Filters the postings do not hold, and a term FTS5 reads as a phrase of two tokens.
        Assert.Null(store.LexicalFromPostings(connection, ["config"], 5, new ChunkFilter(null, ["python"], null)));
        Assert.Null(store.LexicalFromPostings(connection, ["config"], 5, new ChunkFilter(null, null, "*.py")));
        Assert.Null(store.LexicalFromPostings(connection, ["config"], 5, new ChunkFilter(null, null, null, [FileClass.Test])));
        Assert.Null(store.LexicalFromPostings(connection, ["parse.config"], 5, ChunkFilter.None));
        Assert.Equal(
            EmbeddedStore.LexicalFullQuery(connection, EmbeddedStore.BuildMatchExpression(["parse.config"])!, 5, null),
            await store.SearchLexicalAsync(["parse.config"], 5, ChunkFilter.None, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_AccentsAndCase_FoldedAsFts5Does()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await store.ApplyFileAsync(Update("r", "a.py", [
            Chunk("r", "a.py", "x") with { LexicalText = "Café crème naïve" },
            Chunk("r", "a.py", "y", occurrence: 1) with { LexicalText = "cafe CAFÉ über ueber" },
        ]), Ct);
        await using var connection = store.OpenConnection();
        foreach (var terms in new[] { new[] { "café" }, ["CAFE"], ["uber"], ["naive", "creme"] })
        {
            var expected = EmbeddedStore.LexicalFullQuery(connection, EmbeddedStore.BuildMatchExpression(terms)!, 10, null);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, store.LexicalFromPostings(connection, terms, 10, ChunkFilter.None));
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Blocks_EncodedAndDecoded_RoundTripAndATruncatedBlockIsRefused()
    {
        var random = new Random(3);
        var postings = new List<Posting>();
        var key = 0L;
        for (var i = 0; i < 300; i++)
        {
            key += 1 + (random.Next(10) == 0 ? random.NextInt64(1L << 40) : random.Next(300));
            postings.Add(new Posting(key, 1 + random.Next(5000), random.Next(100_000)));
        }

        var data = LexicalPostings.Encode(postings.ToArray());
        var decoded = new List<Posting>();
        LexicalPostings.Decode(data, decoded);

        Assert.Equal(postings, decoded);
        Assert.Throws<InvalidDataException>(() => LexicalPostings.Decode(data.AsSpan(0, data.Length - 1), new List<Posting>()));
    }

    private static void ExecuteSql(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
