using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Hosting;
using CodeGraphRag.Parsing;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>
/// A one-silo Orleans test cluster on its own data directory, wired exactly like the embedded host (real parsers,
/// real ONNX embedder, real SQLite store), with a gated writer and a bumpable parser as the only test seams.
/// </summary>
internal sealed class IndexHarness : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private IndexHarness(InProcessTestCluster cluster, string dataDirectory)
    {
        _cluster = cluster;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public IClusterClient Client => _cluster.Client;

    private IServiceProvider Services => _cluster.Silos[0].ServiceProvider;

    /// <summary>The silo's search settings; a test may change them for one search and must put them back.</summary>
    public CodeGraphRag.Retrieval.Search.SearchOptions SearchOptions => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CodeGraphRag.Retrieval.Search.SearchOptions>>().Value;

    public EmbeddedStore Store => Services.GetRequiredService<EmbeddedStore>();

    public GatedWriter Writer => (GatedWriter)Services.GetRequiredService<IIndexWriter>();

    public BumpableParser Parser => (BumpableParser)Services.GetRequiredService<ICodeParser>();

    public static async Task<IndexHarness> StartAsync(
        string dataDirectory, SiloRoles roles = SiloRoles.All, Action<CodeGraphRag.Grains.Indexing.IndexingOptions>? indexing = null,
        IEmbedder? embedder = null, Action<CodeGraphRag.Grains.Embedding.EmbeddingCallOptions>? embeddingCalls = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(embedder ?? SharedEmbedder.Instance);
            host.Services.AddSingleton<ITokenCounter>(SharedEmbedder.Instance);
            host.Services.AddSingleton<IIndexWriter>(sp => new GatedWriter(sp.GetRequiredService<EmbeddedStore>()));
            host.Services.AddSingleton<ICodeParser>(sp => new BumpableParser(ActivatorUtilities.CreateInstance<CodeParser>(sp)));
            host.Services.AddCodeGraphRagServices(new EmbeddedHostSettings(dataDirectory, ReadOnly: false));
            if (indexing is not null)
            {
                host.Services.Configure(indexing);
            }

            if (embeddingCalls is not null)
            {
                host.Services.Configure(embeddingCalls);
            }
        });
        builder.ConfigureSilo((_, silo) => silo.AddCodeGraphRagSiloDefaults().AddCodeGraphRagRoles(roles));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new IndexHarness(cluster, dataDirectory);
    }

    public IRepositoryGrain Repository(string name) => Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name));

    /// <summary>Starts a sync and waits for it to finish (or for <paramref name="timeout"/>, failing with the last progress).</summary>
    public async Task<SyncProgress> SyncAsync(string name, string source, string? revision = null, TimeSpan? timeout = null)
    {
        var grain = Repository(name);
        await grain.StartSyncAsync(new SyncRequest(source, revision));
        return await WaitAsync(grain, timeout ?? TimeSpan.FromMinutes(3));
    }

    public static async Task<SyncProgress> WaitAsync(IRepositoryGrain grain, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var progress = await grain.GetProgressAsync();
            if (progress.IsFinished)
            {
                return progress;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"sync did not finish within {timeout}: phase {progress.Phase}, {progress.FilesProcessed}/{progress.FilesToProcess} files");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    public Task<SearchResponse> SearchAsync(string query, SearchMode mode = SearchMode.HybridGraph, int top = 10, string? repository = null)
        => Client.GetGrain<ISearchGrain>(0).SearchAsync(new SearchRequest(query, repository is null ? null : [repository], Mode: mode, Top: top));

    public async Task<string> ExportAsync(string? repository = null)
    {
        await Store.FlushAsync();
        return (await Store.ExportLogicalStateAsync(repository)).Json;
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
