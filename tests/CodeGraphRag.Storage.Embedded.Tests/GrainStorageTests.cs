using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class GrainStorageTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task WriteState_StaleETag_ThrowsInconsistentStateAndKeepsWinner()
    {
        await using var sut = EmbeddedStoreFactory.Create();
        var storage = new EmbeddedGrainStorage("state", sut.Store(), new JsonStorageSerializer());
        var grain = GrainId.Create("repository", "github.com/acme/api");
        var first = new GrainState<Counter>(new Counter(1));
        var second = new GrainState<Counter>(new Counter(0));
        await storage.ReadStateAsync("progress", grain, second);
        Assert.False(second.RecordExists);

        await storage.WriteStateAsync("progress", grain, first);
        second.State = new Counter(2);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("progress", grain, second));
        first.State = new Counter(3);
        await storage.WriteStateAsync("progress", grain, first);

        var read = new GrainState<Counter>(new Counter(0));
        await storage.ReadStateAsync("progress", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(new Counter(3), read.State);
        Assert.Equal(first.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("progress", grain, second));
        await storage.ClearStateAsync("progress", grain, read);
        var cleared = new GrainState<Counter>(new Counter(0));
        await storage.ReadStateAsync("progress", grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task AddEmbeddedGrainStorage_SiloServices_ResolvesNamedStorageOverTheRegisteredStore()
    {
        using var directory = new TempDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCodeGraphRagEmbeddedStorage(o =>
        {
            o.DataDirectory = directory.Path;
            o.ModelId = EmbeddedStoreFactory.ModelId;
        });
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddEmbeddedGrainStorage("cgr"));
        using var host = builder.Build();

        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>("cgr");
        var store = host.Services.GetRequiredService<EmbeddedStore>();
        var state = new GrainState<Counter>(new Counter(5));
        await storage.WriteStateAsync("s", GrainId.Create("file", "r/a.py"), state);
        var read = new GrainState<Counter>(new Counter(0));
        await storage.ReadStateAsync("s", GrainId.Create("file", "r/a.py"), read);

        Assert.IsType<EmbeddedGrainStorage>(storage);
        Assert.Same(store, host.Services.GetRequiredService<IChunkStore>());
        Assert.Same(store, host.Services.GetRequiredService<ICodeGraphStore>());
        Assert.Same(store, host.Services.GetRequiredService<IIndexWriter>());
        Assert.Same(store, host.Services.GetRequiredService<IRepositoryCatalog>());
        Assert.Same(store, host.Services.GetRequiredService<Abstractions.Embeddings.IEmbeddingCache>());
        Assert.Equal(new Counter(5), read.State);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagEmbeddedStorage_MissingSettings_ValidationNamesEveryKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddCodeGraphRagEmbeddedStorage(o => o.Dimensions = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddedStorageOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("CodeGraphRag:Storage:Embedded:DataDirectory", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("CodeGraphRag:Storage:Embedded:ModelId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("CodeGraphRag:Storage:Embedded:Dimensions", StringComparison.Ordinal));
    }

    [GenerateSerializer]
    [Alias("cgr.tests.Counter")]
    public sealed record Counter([property: Id(0)] int Value);

    private sealed class JsonStorageSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }
}
