using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Neo4j.Tests.Conformance;

/// <summary>
/// A split backend for the conformance suites: <see cref="Neo4jGraphIndex"/> on the server named by CGR_NEO4J_URL
/// (CGR_NEO4J_USER, CGR_NEO4J_PASSWORD, optional CGR_NEO4J_DATABASE and CGR_NEO4J_TRANSACTIONAL=1) as graph and catalog,
/// an <see cref="EmbeddedStore"/> in a temporary folder as the chunk half, joined by <see cref="SplitIndexWriter"/>.
/// </summary>
internal static class Neo4jStoreFactory
{
    public const string UrlVariable = "CGR_NEO4J_URL";

    public static string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    public static Neo4jOptions Options()
    {
        var url = Url ?? throw new InvalidOperationException($"{UrlVariable} is not set: the Neo4j conformance classes need a server (this build was made with it set).");
        return new Neo4jOptions
        {
            Url = url,
            User = Environment.GetEnvironmentVariable("CGR_NEO4J_USER") ?? string.Empty,
            Password = Environment.GetEnvironmentVariable("CGR_NEO4J_PASSWORD") ?? string.Empty,
            Database = Environment.GetEnvironmentVariable("CGR_NEO4J_DATABASE") is { Length: > 0 } db ? db : "neo4j",
            UseTransactionalApi = Environment.GetEnvironmentVariable("CGR_NEO4J_TRANSACTIONAL") == "1",
        };
    }

    /// <param name="unrestrictedReads">Whether reads over every repository reach Neo4j unnarrowed (see <see cref="PrefixedGraphIndex"/>).</param>
    public static async Task<StoreUnderTest> CreateAsync(bool unrestrictedReads = false)
    {
        var index = new Neo4jGraphIndex(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, Microsoft.Extensions.Options.Options.Create(Options()));
        await index.EnsureSchemaAsync(TestContext.Current.CancellationToken);
        var graph = new PrefixedGraphIndex(index, $"cgrtest-{Guid.NewGuid():N}/", unrestrictedReads);
        var directory = new TempDirectory("cgr-neo4j-chunks");
        var store = new EmbeddedStore(new EmbeddedStorageOptions
        {
            DataDirectory = directory.Path,
            ModelId = "test-model@1/cls",
            Dimensions = ConformanceData.Dimensions,
        });
        var chunks = new EmbeddedChunkIndex(store);
        var writer = new SplitIndexWriter(chunks, graph);

        // CGR: the deployment's catalog: the chunks awaiting vectors are counted where the chunks live.
        return new StoreUnderTest(writer, new SplitRepositoryCatalog(graph, chunks), store, graph, new Owner(index, graph, store, directory));
    }

    private sealed class Owner(Neo4jGraphIndex index, PrefixedGraphIndex graph, EmbeddedStore store, TempDirectory directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                foreach (var repository in graph.TouchedRepositories.ToList())
                {
                    await index.RemoveRepositoryAsync(repository, CancellationToken.None);
                }
            }
            finally
            {
                index.Dispose();
                await store.DisposeAsync();
                directory.Dispose();
            }
        }
    }
}
