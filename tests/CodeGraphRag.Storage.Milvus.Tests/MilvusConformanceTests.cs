// CGR: the Milvus conformance suite is compiled only when CGR_MILVUS_URL is set at build time (see the .csproj), so a run
// without a server shows exactly one skipped test that says the suite did not run, never ~15 silently passing ones; a
// build with the variable runs the whole shared suite against the server and fails loudly when it is unreachable.
#if CGR_MILVUS
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure.Conformance;
#endif
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Milvus.Tests;

#if CGR_MILVUS
/// <summary>
/// The shared chunk store contract on a live Milvus (<c>CGR_MILVUS_URL</c>, optional <c>CGR_MILVUS_TOKEN</c>): a fresh
/// collection per test, dropped after, with an embedded store as the graph and catalog half behind <see cref="SplitIndexWriter"/>.
/// </summary>
[Trait("Provider", "Milvus")]
public sealed class MilvusChunkStoreConformanceTests : ChunkStoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoreAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = MilvusConformance.Options();
        var http = MilvusChunkIndex.CreateHttpClient(options);
        var index = new MilvusChunkIndex(http, options);
        await index.EnsureCollectionAsync(ct);
        var directory = new TempDirectory("cgr-milvus-graph");
        var store = new EmbeddedStore(new EmbeddedStorageOptions
        {
            DataDirectory = directory.Path,
            ModelId = options.ModelId,
            Dimensions = ConformanceData.Dimensions,
        });
        var graph = new EmbeddedGraphIndex(store);
        return new StoreUnderTest(new SplitIndexWriter(index, graph), new SplitRepositoryCatalog(graph, index), index, graph, new Owner(index, http, store, directory));
    }

    private sealed class Owner(MilvusChunkIndex index, HttpClient http, EmbeddedStore store, TempDirectory directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await index.DropCollectionAsync(CancellationToken.None);
            }
            finally
            {
                http.Dispose();
                await store.DisposeAsync();
                directory.Dispose();
            }
        }
    }
}

/// <summary>States that the Milvus suite ran, and against which server.</summary>
public sealed class MilvusConformanceStatusTests
{
    [Fact]
    [Trait("Category", TestCategories.Integration)]
    [Trait("Provider", "Milvus")]
    public void MilvusConformance_VariableSet_RunsAgainstTheServer()
    {
        var message = $"Milvus conformance: running against {MilvusConformance.Url}";
        TestContext.Current.SendDiagnosticMessage(message);
        TestContext.Current.TestOutputHelper?.WriteLine(message);
        Assert.False(string.IsNullOrEmpty(MilvusConformance.Url), "CGR_MILVUS_URL was set when this build was made but is not set now; run the tests with it.");
    }
}
#else
/// <summary>Says plainly that the Milvus conformance suite did not run.</summary>
public sealed class MilvusConformanceStatusTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    [Trait("Provider", "Milvus")]
    public void MilvusConformance_VariableNotSet_NotRun()
    {
        // CGR: the suite is selected at build time; a variable that appears only at run time must not pass unnoticed.
        Assert.True(
            string.IsNullOrEmpty(MilvusConformance.Url),
            "CGR_MILVUS_URL is set now but was not when this test project was built; rebuild it so the Milvus conformance suite is compiled in.");

        // Counted as skipped, not passed: the summary line says the suite did not run.
        Assert.Skip("Milvus conformance: not run (CGR_MILVUS_URL not set)");
    }
}
#endif

/// <summary>Connection settings of the live-server suite.</summary>
internal static class MilvusConformance
{
    public static string? Url => Environment.GetEnvironmentVariable("CGR_MILVUS_URL");

    public static MilvusOptions Options() => new()
    {
        Url = Url!,
        Token = Environment.GetEnvironmentVariable("CGR_MILVUS_TOKEN"),
        Collection = "cgr_conformance_" + Guid.NewGuid().ToString("N")[..12],
        Shards = 1,
        Dimensions = 16,
        ModelId = "conformance-model@1",
        RequestTimeout = TimeSpan.FromSeconds(60),
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        LoadPollInterval = TimeSpan.FromMilliseconds(250),
    };
}
