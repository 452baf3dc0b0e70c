using System.Numerics.Tensors;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// Filtered dense search once the ANN index is in use: exact over the admitted vectors held in memory (up to
/// <see cref="EmbeddedStorageOptions.FilteredExactSearchThreshold"/>) or the ANN index searched with the filter; either
/// way the same top-k as brute force over the admitted chunks, kept in step with writes, removes and reopening.
/// </summary>
public sealed class DenseFilteredSearchTests : IDisposable
{
    private const int K = 10;
    private const int ExactThreshold = 30;

    private readonly TempDirectory _directory = new("cgr-dense-filter");

    // Every chunk the test wrote and has not removed, with its vector and language.
    private readonly Dictionary<string, (ChunkRecord Chunk, float[] Vector)> _live = new(StringComparer.Ordinal);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<int, string> Strategies() => new()
    {
        { 20_000, "repository" }, { 20_000, "acl" }, { 20_000, "language" },
        { 0, "repository" }, { 0, "acl" }, { 0, "language" },
    };

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [MemberData(nameof(Strategies))]
    public async Task SearchDense_FilterAboveThreshold_SameTopKAsBruteForceOverAdmitted(int filteredExactThreshold, string filterKind)
    {
        var filter = Filter(filterKind);
        await using (var store = Open(filteredExactThreshold))
        {
            await SeedAsync(store);

            await AssertMatchesBruteForceAsync(store, filter);
            Assert.True(store.UsesAnnIndex);
        }

        await using var reopened = Open(filteredExactThreshold);

        await AssertMatchesBruteForceAsync(reopened, filter);
        Assert.NotNull(reopened.DenseIndex.LoadedSavedSequence);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(20_000)]
    [InlineData(0)]
    public async Task SearchDense_FilterAcrossWritesAndRemoves_WriterAndReaderMatchBruteForce(int filteredExactThreshold)
    {
        var filter = new ChunkFilter(["a", "b"], null, null);
        await using var store = Open(filteredExactThreshold);
        await SeedAsync(store);
        await using var reader = Open(filteredExactThreshold, readOnly: true);
        await AssertMatchesBruteForceAsync(store, filter);
        await AssertMatchesBruteForceAsync(reader, filter);
        var removed = _live.Values.Where(v => v.Chunk.Path == "a/file0.py").ToList();

        await store.RemoveFilesAsync("a", ["a/file0.py"], Ct);
        removed.ForEach(v => _live.Remove(v.Chunk.Id));
        await WriteFileAsync(store, "b", "b/new.py", "python", 6, "added");
        await WriteFileAsync(store, "a", "a/file2.py", "python", 5, "rewritten");

        foreach (var searcher in new[] { store, reader })
        {
            await AssertMatchesBruteForceAsync(searcher, filter);
            foreach (var (chunk, vector) in removed)
            {
                Assert.DoesNotContain(chunk.Id, (await searcher.SearchDenseAsync(vector, K, filter, Ct)).Select(h => h.ChunkId));
            }
        }
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(20_000)]
    [InlineData(0)]
    public async Task SearchDense_ChunksWithVectorsOfAnotherModelOnly_NeverReturned(int filteredExactThreshold)
    {
        var otherModel = Options(filteredExactThreshold);
        otherModel.ModelId = "other-model@1/cls";
        await using (var other = new EmbeddedStore(otherModel))
        {
            await other.ApplyFileAsync(Update("x", "x/other.py", Chunks("x", "x/other.py", [.. Enumerable.Range(0, 40).Select(i => $"def other_{i}(): pass")])), Ct);
        }

        await using var store = Open(filteredExactThreshold);
        await SeedAsync(store);
        var filter = new ChunkFilter(["x", "a"], null, null);

        Assert.Empty(await store.SearchDenseAsync(Vector("query"), K, new ChunkFilter(["x"], null, null), Ct));
        await AssertMatchesBruteForceAsync(store, filter);
        Assert.True(store.UsesAnnIndex);
    }

    public void Dispose() => _directory.Dispose();

    private static ChunkFilter Filter(string kind) => kind switch
    {
        "repository" => new ChunkFilter(["a"], null, null),
        "acl" => new ChunkFilter(["b", "c", "missing"], null, null),
        _ => new ChunkFilter(null, ["csharp"], null),
    };

    private EmbeddedStorageOptions Options(int filteredExactThreshold, bool readOnly = false) => new()
    {
        DataDirectory = _directory.Path,
        ModelId = EmbeddedStoreFactory.ModelId,
        Dimensions = Dimensions,
        ExactSearchThreshold = ExactThreshold,
        FilteredExactSearchThreshold = filteredExactThreshold,
        ReadOnly = readOnly,
    };

    private EmbeddedStore Open(int filteredExactThreshold, bool readOnly = false) => new(Options(filteredExactThreshold, readOnly));

    /// <summary>Three repositories of uneven size, Python and C# files, 150 chunks: well above the exact threshold.</summary>
    private async Task SeedAsync(EmbeddedStore store)
    {
        foreach (var (repository, files) in new[] { ("a", 4), ("b", 2), ("c", 1) })
        {
            for (var file = 0; file < files; file++)
            {
                var language = file % 2 == 0 ? "python" : "csharp";
                await WriteFileAsync(store, repository, $"{repository}/file{file}.{(language == "python" ? "py" : "cs")}", language, repository == "c" ? 10 : 20, "seed");
            }
        }
    }

    private async Task WriteFileAsync(EmbeddedStore store, string repository, string path, string language, int count, string salt)
    {
        var chunks = Enumerable.Range(0, count).Select(i => Chunk(repository, path, $"def {salt}_{i}(): pass", language: language, startLine: (i * 3) + 1)).ToList();
        foreach (var stale in _live.Values.Where(v => v.Chunk.Repository == repository && v.Chunk.Path == path).Select(v => v.Chunk.Id).ToList())
        {
            _live.Remove(stale);
        }

        await store.ApplyFileAsync(Update(repository, path, chunks, language: language), Ct);
        foreach (var chunk in chunks)
        {
            _live[chunk.Id] = (chunk, VectorOf(chunk));
        }
    }

    private async Task AssertMatchesBruteForceAsync(EmbeddedStore store, ChunkFilter filter)
    {
        var admitted = _live.Values.Where(v =>
            (filter.Repositories is null || filter.Repositories.Contains(v.Chunk.Repository))
            && (filter.Languages is null || filter.Languages.Contains(v.Chunk.Language))).ToList();
        Assert.True(admitted.Count > K, "the filter admits more chunks than k");
        for (var q = 0; q < 8; q++)
        {
            var query = Vector($"query {q}");
            var expected = admitted.OrderByDescending(v => TensorPrimitives.Dot(query, v.Vector)).Take(K).Select(v => v.Chunk.Id).ToList();

            var actual = (await store.SearchDenseAsync(query, K, filter, Ct)).Select(h => h.ChunkId).ToList();

            Assert.Equal(expected, actual);
        }
    }
}
