using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class AnnIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Reopen_WriteCloseReopenWriteMore_AnnLoadedFromFileReplayedAndFindsAll()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        var first = Batch("first", 4, 50);
        await WriteAndCloseAsync(options, first);

        Assert.True(File.Exists(Directory.GetFiles(directory.Path, "ann-*.usearch").Single()));
        var second = Batch("second", 2, 50);
        List<ChunkRecord> all;
        await using (var store = new EmbeddedStore(options))
        {
            foreach (var (path, chunks) in second)
            {
                await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            }

            await store.RemoveFilesAsync("r", [first[0].Path], Ct);
            all = [.. first.Skip(1).Concat(second).SelectMany(f => f.Chunks)];
            await AssertEveryChunkFindsItselfAsync(store, all);
            Assert.True(store.UsesAnnIndex);
            Assert.NotNull(store.DenseIndex.LoadedSavedSequence);
            Assert.True(store.DenseIndex.AppliedSequence > store.DenseIndex.LoadedSavedSequence);
            var afterRemoval = await store.SearchDenseAsync(ConformanceData.VectorOf(first[0].Chunks[0]), 400, ChunkFilter.None, Ct);
            Assert.Equal(all.Count, afterRemoval.Count);
            Assert.DoesNotContain(afterRemoval, h => first[0].Chunks.Any(c => c.Id == h.ChunkId));
        }

        await using var reopened = new EmbeddedStore(options);
        await AssertEveryChunkFindsItselfAsync(reopened, all);
        Assert.Equal(await reopened.GetCommitSequenceAsync(Ct), reopened.DenseIndex.LoadedSavedSequence);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CatchUp_ManyUnsavedVectorsAfterTheInterval_SavesTheAnnIndexSoAnOpenWithoutCloseLoadsIt()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        await using var writer = new EmbeddedStore(options);
        foreach (var (path, chunks) in Batch("bulk", 4, 50))
        {
            await writer.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
        }

        // The defaults (10 minutes, 50,000 changes) leave a 200-vector index to the close.
        await writer.CatchUpDenseIndexAsync(Ct);
        Assert.True(writer.UsesAnnIndex);
        Assert.Empty(Directory.GetFiles(directory.Path, "ann-*.usearch"));

        writer.DenseSaveInterval = TimeSpan.Zero;
        writer.DenseSaveMinChanges = 10;
        var sequence = await writer.CatchUpDenseIndexAsync(Ct);
        var saved = Directory.GetFiles(directory.Path, "ann-*.usearch").Single();
        var savedAt = File.GetLastWriteTimeUtc(saved);

        // Nothing changed since: the next catch-up does not write it again.
        await writer.CatchUpDenseIndexAsync(Ct);
        Assert.Equal(savedAt, File.GetLastWriteTimeUtc(saved));

        // A process that opens the directory now (the writer never closed, as after a kill) loads the saved index.
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50, readOnly: true));
        await AssertEveryChunkFindsItselfAsync(reader, [.. Batch("bulk", 4, 50).SelectMany(f => f.Chunks)]);
        Assert.Equal(sequence, reader.DenseIndex.LoadedSavedSequence);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CatchUp_LargeBacklog_AppliesItInBoundedStepsOfWholeCommits_AndEveryChunkFindsItself()
    {
        using var directory = new TempDirectory();
        await using var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50));
        var first = Batch("first", 2, 50);
        foreach (var (path, chunks) in first)
        {
            await writer.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
        }

        await writer.CatchUpDenseIndexAsync(Ct);
        Assert.True(writer.UsesAnnIndex);

        // Seven commits of 50 vectors each and one that removes a file (50 more changes) wait; at most 100 changes a
        // snapshot takes whole commits, two at a time.
        var backlog = Batch("backlog", 7, 50);
        foreach (var (path, chunks) in backlog)
        {
            await writer.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
        }

        await writer.RemoveFilesAsync("r", [first[0].Path], Ct);
        // One step alone (100 of the 400 changes), added in parallel batches of 50, leaves a reachability check due; it
        // looks only at keys the index holds (200): the 250 stored vectors not applied yet are not strays to add one by one.
        writer.DenseIndex.ReplayBatch = 50;
        var (applied, latest) = writer.DenseIndex.CatchUpStep(100);
        Assert.True(applied < latest, $"one step of 100 changes applied through {applied}, the latest commit is {latest}");
        Assert.Equal(await writer.GetCommitSequenceAsync(Ct), latest);
        var strays = writer.DenseIndex.RelinkIfDue();
        Assert.True(strays < 200, $"{strays} vectors added again by the check, with 200 in the index");

        // The other 300 changes in three steps: the check is due again and runs once, after the last step.
        writer.DenseCatchUpStep = 100;
        var steps = writer.DenseIndex.CatchUpSteps;
        var relinks = writer.DenseIndex.RelinksAfterBatches;
        var sequence = await writer.CatchUpDenseIndexAsync(Ct);

        Assert.Equal(3, writer.DenseIndex.CatchUpSteps - steps);
        Assert.Equal(1, writer.DenseIndex.RelinksAfterBatches - relinks);
        Assert.Equal(await writer.GetCommitSequenceAsync(Ct), sequence);
        var all = first.Skip(1).Concat(backlog).SelectMany(f => f.Chunks).ToList();
        await AssertEveryChunkFindsItselfAsync(writer, all);
        var hits = await writer.SearchDenseAsync(ConformanceData.VectorOf(first[0].Chunks[0]), 1000, ChunkFilter.None, Ct);
        Assert.Equal(all.Count, hits.Count);

        // Caught up: the next catch-up is one step that changes nothing and checks nothing.
        steps = writer.DenseIndex.CatchUpSteps;
        Assert.Equal(sequence, await writer.CatchUpDenseIndexAsync(Ct));
        Assert.Equal(1, writer.DenseIndex.CatchUpSteps - steps);
        Assert.Equal(1, writer.DenseIndex.RelinksAfterBatches - relinks);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Reader_CurrentSavedIndexIsMapped_WriterCommitsLoadAndReplay_WriterSaveMapsAgain()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        var first = Batch("first", 4, 50);
        await WriteAndCloseAsync(options, first);

        // A reader whose saved index is current maps it: no vectors read, and every chunk still finds itself.
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50, readOnly: true));
        await AssertEveryChunkFindsItselfAsync(reader, [.. first.SelectMany(f => f.Chunks)]);
        Assert.True(reader.DenseIndex.UsesView);

        // A writer commits (not yet saved): the reader can no longer use the mapped file as it is, so it reads it and replays.
        var second = Batch("second", 2, 50);
        var all = first.Skip(1).Concat(second).SelectMany(f => f.Chunks).ToList();
        await using (var writer = new EmbeddedStore(options))
        {
            foreach (var (path, chunks) in second)
            {
                await writer.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            }

            await writer.RemoveFilesAsync("r", [first[0].Path], Ct);
            await AssertEveryChunkFindsItselfAsync(reader, all);
            Assert.False(reader.DenseIndex.UsesView);
            var hits = await reader.SearchDenseAsync(ConformanceData.VectorOf(first[0].Chunks[0]), 400, ChunkFilter.None, Ct);
            Assert.Equal(all.Count, hits.Count);
            Assert.DoesNotContain(hits, h => first[0].Chunks.Any(c => c.Id == h.ChunkId));
        }

        // The writer saved at its close: a new reader maps the new file.
        await using var later = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50, readOnly: true));
        await AssertEveryChunkFindsItselfAsync(later, all);
        Assert.True(later.DenseIndex.UsesView);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(16, 3000)]
    [InlineData(384, 2000)]
    public void AddMany_FourThreads_EveryVectorReachableBySearch(int dimensions, int count)
    {
        // USearch's concurrent add can strand a stored node with no inbound edge (unum-cloud/usearch#735); without the
        // re-link step a 4-thread build of 3,000 16-d vectors left some of them unreachable in every run tried.
        var random = new Random(dimensions);
        var matrix = new float[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            var row = matrix.AsSpan(i * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                row[d] = Gaussian(random);
            }

            VectorCodec.Normalize(row, row);
        }

        var keys = Enumerable.Range(0, count).Select(i => (ulong)i * 7 + 1).ToArray();
        using var index = AnnIndex.Create(dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 1024);

        var relinked = index.AddMany(keys, matrix, threads: 4);

        var reachable = index.ReachableKeys(matrix.AsSpan(dimensions, dimensions));
        TestContext.Current.SendDiagnosticMessage($"{dimensions}-d: {relinked} of {count} re-linked after the parallel build");
        Assert.Equal(count, index.Count);
        Assert.Equal(keys.Order(), reachable.Order());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void TryGetVector_AddedReplacedRemoved_ReturnsTheStoredVectorOrFalse()
    {
        var first = VectorCodec.Normalized(ConformanceData.Vector("first"));
        var second = VectorCodec.Normalized(ConformanceData.Vector("second"));
        using var index = AnnIndex.Create(ConformanceData.Dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 64);
        var buffer = new float[ConformanceData.Dimensions];
        index.Upsert(7, first);

        Assert.True(index.TryGetVector(7, buffer));
        Assert.Equal(first, buffer);
        Assert.False(index.TryGetVector(8, buffer));

        index.Upsert(7, second);

        Assert.True(index.TryGetVector(7, buffer));
        Assert.Equal(second, buffer);

        index.Remove(7);

        Assert.False(index.TryGetVector(7, buffer));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Search_WithAllowedKeys_OnlyAdmittedKeysNearestFirstLikeBruteForce()
    {
        var vectors = Enumerable.Range(0, 600).ToDictionary(i => (ulong)i + 1, i => VectorCodec.Normalized(ConformanceData.Vector($"v{i}")));
        using var index = AnnIndex.Create(ConformanceData.Dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 1024);
        foreach (var (key, vector) in vectors)
        {
            index.Upsert(key, vector);
        }

        var allowed = vectors.Keys.Where(k => k % 9 == 0).ToHashSet();
        var query = VectorCodec.Normalized(ConformanceData.Vector("query"));
        var expected = allowed.OrderByDescending(k => System.Numerics.Tensors.TensorPrimitives.Dot(query, vectors[k])).Take(10).ToList();

        var (keys, similarities) = index.Search(query, 10, allowed);

        Assert.Equal(expected, keys);
        Assert.Equal(similarities.OrderDescending(), similarities);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void RelinkUnreachable_AfterSequentialChurn_EveryLiveVectorReachableAgain()
    {
        // Replacing a tenth of 5,000 384-d vectors per round and moving a twentieth, one add or remove at a time
        // (deterministic: one thread and USearch's default-seeded level generator), strands a few that no search reaches.
        const int dimensions = 384, count = 5000;
        var random = new Random(384);
        float[] NextVector()
        {
            var v = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                v[d] = Gaussian(random);
            }

            return VectorCodec.Normalized(v);
        }

        var live = new Dictionary<ulong, float[]>();
        using var index = AnnIndex.Create(dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 1024);
        var next = 0UL;
        for (; next < count; next++)
        {
            live[next] = NextVector();
            index.Upsert(next, live[next]);
        }

        var strandedAfterChurn = 0;
        for (var round = 0; round < 20 && strandedAfterChurn == 0; round++)
        {
            foreach (var key in live.Keys.OrderBy(_ => random.Next()).Take(count / 10).ToList())
            {
                index.Remove(key);
                live.Remove(key);
                live[next] = NextVector();
                index.Upsert(next, live[next++]);
            }

            foreach (var key in live.Keys.OrderBy(_ => random.Next()).Take(count / 20).ToList())
            {
                live[key] = NextVector();
                index.Upsert(key, live[key]);
            }

            var reachable = index.ReachableKeys(live.Values.First());
            strandedAfterChurn = live.Keys.Count(k => !reachable.Contains(k));
        }

        var relinked = index.RelinkUnreachable([.. live.Keys], k => live[k]);

        Assert.True(strandedAfterChurn > 0, "the churn stranded no vector, so this test shows nothing");
        Assert.True(relinked >= strandedAfterChurn);
        Assert.Equal(live.Keys.Order(), index.ReachableKeys(live.Values.First()).Order());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Save_ChangesCountedAcrossProcesses_ReachabilityCheckedOnceTheyReachTheMinimum()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        long ChangesSinceCheck() =>
            System.Text.Json.JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(directory.Path, "ann-*.json").Single())).RootElement.GetProperty("ChangesSinceCheck").GetInt64();

        await using (var store = new EmbeddedStore(options))
        {
            foreach (var (path, chunks) in Batch("built", 4, 50))
            {
                await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            }

            await store.FlushAsync(Ct);
            Assert.Equal(0, ChangesSinceCheck());

            var (small, smallChunks) = Batch("small", 1, 10)[0];
            await store.ApplyFileAsync(ConformanceData.Update("r", small, smallChunks), Ct);
            await store.FlushAsync(Ct);
            Assert.Equal(10, ChangesSinceCheck());
        }

        await using (var store = new EmbeddedStore(options))
        {
            var (path, chunks) = Batch("more", 1, DenseVectorIndex.MinChangesBeforeCheck - 11)[0];
            await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            await store.FlushAsync(Ct);
            Assert.Equal(DenseVectorIndex.MinChangesBeforeCheck - 1, ChangesSinceCheck());

            await store.RemoveFilesAsync("r", ["small/file_0.py"], Ct);
            await store.FlushAsync(Ct);
            Assert.Equal(0, ChangesSinceCheck());
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_AfterABulkWriteWithNoSearchBetween_CatchesUpIntoTheAnnIndexAndFindsEveryChunk()
    {
        // A bulk index (thousands of files, no query meanwhile) is caught up in one go at the next search: the new vectors
        // go into the ANN index in parallel batches (not an exact matrix grown past the threshold first), removals apply.
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        var early = Batch("early", 4, 10);
        var bulk = Batch("bulk", 100, 50);
        List<ChunkRecord> expected;
        await using (var store = new EmbeddedStore(options))
        {
            foreach (var (path, chunks) in early)
            {
                await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            }

            await AssertEveryChunkFindsItselfAsync(store, early.SelectMany(f => f.Chunks));
            Assert.False(store.UsesAnnIndex);
            foreach (var (path, chunks) in bulk)
            {
                await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
            }

            await store.RemoveFilesAsync("r", [early[0].Path, bulk[0].Path], Ct);
            expected = early.Skip(1).Concat(bulk.Skip(1)).SelectMany(f => f.Chunks).ToList();

            await AssertEveryChunkFindsItselfAsync(store, expected);
            Assert.True(store.UsesAnnIndex);
            Assert.Equal(expected.Count, store.DenseIndex.Count);
            var everything = await store.SearchDenseAsync(ConformanceData.VectorOf(expected[0]), 10_000, ChunkFilter.None, Ct);
            Assert.Equal(expected.Select(c => c.Id).Order(StringComparer.Ordinal), everything.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
        }

        await using var reopened = new EmbeddedStore(options);
        Assert.Equal(expected.Count, (await reopened.SearchDenseAsync(ConformanceData.VectorOf(bulk[1].Chunks[0]), 10_000, ChunkFilter.None, Ct)).Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Reopen_SavedMetaAheadOfDatabase_RebuildsFromSqlite()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 10);
        var (path, chunks) = Batch("x", 1, 40)[0];
        await using (var store = new EmbeddedStore(options))
        {
            await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
        }

        var meta = Directory.GetFiles(directory.Path, "ann-*.json").Single();
        await File.WriteAllTextAsync(meta, (await File.ReadAllTextAsync(meta, Ct)).Replace("\"CommitSequence\":", "\"CommitSequence\":9999", StringComparison.Ordinal), Ct);

        await using var reopened = new EmbeddedStore(options);
        await AssertEveryChunkFindsItselfAsync(reopened, chunks);
        Assert.Null(reopened.DenseIndex.LoadedSavedSequence);
        Assert.True(reopened.UsesAnnIndex);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchDense_AnnWithSelectiveAndBroadFilters_ReturnsOnlyAdmittedChunks()
    {
        await using var sut = EmbeddedStoreFactory.Create(exactThreshold: 20);
        var big = Batch("big", 3, 60, "big");
        foreach (var (path, chunks) in big)
        {
            await sut.Writer.ApplyFileAsync(ConformanceData.Update("big", path, chunks), Ct);
        }

        var small = ConformanceData.Chunk("small", "only.py", "def only(): pass");
        await sut.Writer.ApplyFileAsync(ConformanceData.Update("small", "only.py", [small]), Ct);

        var selective = await sut.Chunks.SearchDenseAsync(ConformanceData.VectorOf(big[0].Chunks[0]), 10, new ChunkFilter(["small"], null, null), Ct);
        var broad = await sut.Chunks.SearchDenseAsync(ConformanceData.VectorOf(small), 10, new ChunkFilter(null, null, "big/file_1*"), Ct);

        Assert.Equal([small.Id], selective.Select(h => h.ChunkId));
        Assert.Equal(10, broad.Count);
        Assert.All(broad, h => Assert.Contains(big[1].Chunks, c => c.Id == h.ChunkId));
        Assert.True(sut.Store().UsesAnnIndex);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(AnnVectorPrecision.F32, 0.95)]
    [InlineData(AnnVectorPrecision.F16, 0.95)]
    [InlineData(AnnVectorPrecision.I8, 0.90)] // measured 0.93 here: i8 rounding reorders close neighbours
    public void MeasureAnnRecall_ClusteredRealLikeVectors_HighRecallAtDefaults(AnnVectorPrecision precision, double minimum)
    {
        const int dimensions = 384;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var random = new Random(20261127);
        var (vectors, queries) = ClusteredData(random, count: 20_000, queryCount: 200, dimensions, clusters: 200, latent: 32, noise: 4f);
        var defaults = new EmbeddedStorageOptions();

        var generated = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var recall = EmbeddedStore.MeasureAnnRecall(vectors, queries, 10, defaults.AnnConnectivity, defaults.AnnExpansionAdd, defaults.AnnExpansionSearch, precision: precision);

        TestContext.Current.SendDiagnosticMessage(
            $"ANN recall@10 on 20k clustered 384-d vectors held as {precision}: {recall:F4} (data {generated.TotalSeconds:F1}s, build+measure {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1}s)");
        Assert.True(recall >= minimum, $"recall@10 was {recall:F4}");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Create_F16AndI8_HoldVectorsInHalfAndAQuarterOfTheSpaceAndReadThemBackClose()
    {
        using var directory = new TempDirectory();
        var (vectors, _) = ClusteredData(new Random(5), count: 2_000, queryCount: 1, dimensions: 384, clusters: 20, latent: 16, noise: 4f);
        var keys = Enumerable.Range(0, vectors.Count).Select(i => (ulong)i + 1).ToArray();
        var matrix = vectors.Select(v => VectorCodec.Normalized(v)).SelectMany(v => v).ToArray();
        var sizes = new Dictionary<AnnVectorPrecision, long>();
        foreach (var precision in Enum.GetValues<AnnVectorPrecision>())
        {
            using var index = AnnIndex.Create(384, connectivity: 16, expansionAdd: 64, expansionSearch: 256, precision);
            _ = index.AddMany(keys, matrix, threads: 1);
            var path = Path.Combine(directory.Path, $"{precision}.usearch");
            index.Save(path);
            sizes[precision] = new FileInfo(path).Length;

            // Read back through the saved file: the vector comes out as f32, within the precision's rounding.
            using var loaded = AnnIndex.Load(path, 384, expansionSearch: 256);
            var back = new float[384];
            Assert.True(loaded.TryGetVector(keys[7], back));
            var error = back.Zip(matrix.AsSpan(7 * 384, 384).ToArray(), (a, b) => Math.Abs(a - b)).Max();
            Assert.True(error <= precision switch { AnnVectorPrecision.F32 => 0f, AnnVectorPrecision.F16 => 1e-3f, _ => 1f / 127 }, $"{precision}: largest component error {error}");
            Assert.Equal(keys[7], loaded.Search(back, 1).Keys.Single());
        }

        // The graph (16 links of 4 bytes a node at level 0) stays; the vectors shrink from 1,536 bytes to 768 and 384.
        var perVector = sizes.ToDictionary(kv => kv.Key, kv => (double)kv.Value / vectors.Count);
        TestContext.Current.SendDiagnosticMessage(string.Join(", ", perVector.Select(kv => $"{kv.Key} {kv.Value:F0} bytes per vector")));
        Assert.InRange(perVector[AnnVectorPrecision.F32] - perVector[AnnVectorPrecision.F16], 700, 800);
        Assert.InRange(perVector[AnnVectorPrecision.F16] - perVector[AnnVectorPrecision.I8], 350, 420);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Reopen_PrecisionChanged_RebuildsAtTheNewPrecisionThenLoadsItsOwnFile()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path, exactThreshold: 50);
        options.AnnPrecision = AnnVectorPrecision.F32;
        var files = Batch("p", 4, 50);
        await WriteAndCloseAsync(options, files);
        var annFile = Directory.GetFiles(directory.Path, "ann-*.usearch").Single();
        var f32Bytes = new FileInfo(annFile).Length;
        var chunks = files.SelectMany(f => f.Chunks).ToList();

        options.AnnPrecision = AnnVectorPrecision.F16;
        await using (var rebuilt = new EmbeddedStore(options))
        {
            await AssertEveryChunkFindsItselfAsync(rebuilt, chunks);
            Assert.True(rebuilt.UsesAnnIndex);
            Assert.Null(rebuilt.DenseIndex.LoadedSavedSequence);
            await rebuilt.FlushAsync(Ct);
        }

        // The saved file (what the index holds in memory) shrank by two bytes per dimension of every vector; the graph's
        // size varies by a few hundred bytes between builds (random node levels), hence the margin.
        var vectorBytesSaved = (double)chunks.Count * ConformanceData.Dimensions * 2;
        Assert.InRange(f32Bytes - new FileInfo(annFile).Length, vectorBytesSaved * 0.75, vectorBytesSaved * 1.25);
        await using var reopened = new EmbeddedStore(options);
        await AssertEveryChunkFindsItselfAsync(reopened, chunks);
        Assert.Equal(await reopened.GetCommitSequenceAsync(Ct), reopened.DenseIndex.LoadedSavedSequence);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task MeasureAnnRecallAsync_StoredVectors_ReportsHighRecall()
    {
        // Clustered vectors like real embeddings: uniform random 384-d vectors are all nearly equidistant, where HNSW recall
        // sits at the 0.95 edge and varies with the index's random level assignment (seen once at 0.948 in CI). One build
        // thread makes the figure the same on every run: with one per processor it read 0.906 once in CI and 1.000 in 360
        // parallel builds tried since; the parallel build's reachability has tests of its own above and below.
        await using var sut = EmbeddedStoreFactory.Create(exactThreshold: 50);
        var (vectors, _) = ClusteredData(new Random(11), count: 400, queryCount: 1, ConformanceData.Dimensions, clusters: 20, latent: 16, noise: 4f);
        var next = 0;
        foreach (var (path, chunks) in Batch("m", 4, 100))
        {
            var update = ConformanceData.Update("r", path, chunks);
            await sut.Writer.ApplyFileAsync(update with { Vectors = chunks.ToDictionary(c => c.Id, _ => vectors[next++]) }, Ct);
        }

        var recall = await sut.Store().MeasureAnnRecallAsync(100, 10, 7, threads: 1, cancellationToken: Ct);

        Assert.InRange(recall, 0.95, 1.0);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(2)]
    [InlineData(4)]
    public void AddMany_ClusteredVectors_EveryVectorReachableFromWhereverASearchStarts(int threads)
    {
        // With an expansion above the vector count a search is exact only if every vector is reachable from the node it
        // lands on: clustered data is where a directed HNSW graph could split into parts that do not link back.
        var (vectors, _) = ClusteredData(new Random(11), count: 400, queryCount: 1, ConformanceData.Dimensions, clusters: 20, latent: 16, noise: 4f);
        var dimensions = ConformanceData.Dimensions;
        var matrix = new float[vectors.Count * dimensions];
        for (var i = 0; i < vectors.Count; i++)
        {
            VectorCodec.Normalize(vectors[i], matrix.AsSpan(i * dimensions, dimensions));
        }

        var keys = Enumerable.Range(0, vectors.Count).Select(i => (ulong)i).ToArray();
        using var index = AnnIndex.Create(dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 1024);
        _ = index.AddMany(keys, matrix, threads);

        var unreachable = Enumerable.Range(0, vectors.Count).Sum(i => vectors.Count - index.ReachableKeys(matrix.AsSpan(i * dimensions, dimensions)).Count);

        Assert.Equal(0, unreachable);
    }

    internal static (List<float[]> Vectors, List<float[]> Queries) ClusteredData(Random random, int count, int queryCount, int dimensions, int clusters, int latent, float noise)
    {
        var projection = new float[latent * dimensions];
        for (var i = 0; i < projection.Length; i++)
        {
            projection[i] = Gaussian(random);
        }

        var centers = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, latent).Select(_ => Gaussian(random) * 3).ToArray()).ToArray();
        float[] Sample()
        {
            var center = centers[random.Next(clusters)];
            var v = new float[dimensions];
            for (var l = 0; l < latent; l++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(projection.AsSpan(l * dimensions, dimensions), center[l] + Gaussian(random), v, v);
            }

            for (var d = 0; d < dimensions; d++)
            {
                v[d] += (float)(random.NextDouble() - 0.5) * noise;
            }

            return v;
        }

        return ([.. Enumerable.Range(0, count).Select(_ => Sample())], [.. Enumerable.Range(0, queryCount).Select(_ => Sample())]);
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    /// <summary>Writes the files in a writer session and closes it (which saves the ANN index above the threshold).</summary>
    private static async Task WriteAndCloseAsync(EmbeddedStorageOptions options, IEnumerable<(string Path, List<ChunkRecord> Chunks)> files)
    {
        await using var store = new EmbeddedStore(options);
        foreach (var (path, chunks) in files)
        {
            await store.ApplyFileAsync(ConformanceData.Update("r", path, chunks), Ct);
        }
    }

    private static List<(string Path, List<ChunkRecord> Chunks)> Batch(string prefix, int files, int chunksPerFile, string repository = "r") =>
    [
        .. Enumerable.Range(0, files).Select(f =>
        {
            var path = $"{prefix}/file_{f}.py";
            return (path, Enumerable.Range(0, chunksPerFile).Select(i => ConformanceData.Chunk(repository, path, $"def {prefix}_{f}_{i}(): return {i}", startLine: i + 1)).ToList());
        }),
    ];

    // HNSW search is approximate: it does not promise that every point is its own first hit (a point can be missed
    // when the greedy walk settles early), so each chunk must be among the five nearest to its own vector. A chunk
    // missing from the index is never found, and one stored with another chunk's vector only by the chance that two
    // random 16-dimensional directions are among each other's five nearest. After parallel adds a reachable point can
    // still sit behind a long detour that the walk gives up on (measured: 1 of ~600,000 self-searches after the bulk
    // catch-up, under load), so at most one in a thousand may miss its own top five, and each of those must be found by
    // an exhaustive search started from its own vector: present and reachable from where its query lands.
    private static async Task AssertEveryChunkFindsItselfAsync(EmbeddedStore store, IEnumerable<ChunkRecord> chunks)
    {
        var missed = new List<ChunkRecord>();
        var total = 0;
        foreach (var chunk in chunks)
        {
            total++;
            var hits = await store.SearchDenseAsync(ConformanceData.VectorOf(chunk), 5, ChunkFilter.None, Ct);
            if (!hits.Any(h => h.ChunkId == chunk.Id))
            {
                missed.Add(chunk);
            }
        }

        foreach (var chunk in missed)
        {
            var everything = await store.SearchDenseAsync(ConformanceData.VectorOf(chunk), Math.Max(10_000, total * 2), ChunkFilter.None, Ct);
            Assert.True(everything.Any(h => h.ChunkId == chunk.Id), $"chunk {chunk.Id} ({chunk.Path}:{chunk.StartLine}) is not reachable from its own vector");
        }

        Assert.True(missed.Count <= total / 1000, $"{missed.Count} of {total} chunks are not among the five nearest to their own vector: {string.Join(", ", missed.Select(c => c.Id))}");
    }
}
