using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Hosting;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Hosting.Server;
using CodeGraphRag.Storage.Milvus;
using CodeGraphRag.Storage.Neo4j;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class ServerStoresTests
{
    [Fact]
    public void AddDistributedStores_MilvusAndNeo4j_ReplaceEveryEmbeddedPortWithTheSplitPair()
    {
        using var data = new TempDirectory();
        var configuration = Configuration(("CodeGraphRag:Storage:Milvus:Url", "http://milvus.invalid:19530"), ("CodeGraphRag:Storage:Neo4j:Url", "http://neo4j.invalid:7474"));
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();

        Assert.True(ServerStores.AddDistributedStores(services, configuration));
        services.AddCodeGraphRagServices(new EmbeddedHostSettings(data.Path, ReadOnly: false));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<MilvusChunkIndex>(provider.GetRequiredService<IChunkStore>());
        Assert.IsType<Neo4jGraphIndex>(provider.GetRequiredService<ICodeGraphStore>());
        Assert.IsType<SplitRepositoryCatalog>(provider.GetRequiredService<IRepositoryCatalog>());
        Assert.IsType<SplitIndexWriter>(provider.GetRequiredService<IIndexWriter>());
        Assert.Equal(TimeSpan.Zero, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<CodeGraphRag.Storage.Embedded.EmbeddedStorageOptions>>().Value.DenseCatchUpInterval);
    }

    [Fact]
    public void AddDistributedStores_NeitherConfigured_LeavesTheEmbeddedDefault()
    {
        var configuration = Configuration();

        Assert.False(ServerStores.AddDistributedStores(new ServiceCollection(), configuration));
    }

    [Theory]
    [InlineData("CodeGraphRag:Storage:Milvus:Url", "Milvus")]
    [InlineData("CodeGraphRag:Storage:Neo4j:Url", "Neo4j")]
    public void AddDistributedStores_OnlyOneConfigured_FailsNamingBothKeys(string key, string configured)
    {
        var configuration = Configuration((key, "http://x.invalid"));

        var error = Assert.Throws<ServerConfigurationException>(() => ServerStores.AddDistributedStores(new ServiceCollection(), configuration));

        Assert.Contains("CodeGraphRag:Storage:Milvus:Url", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeGraphRag:Storage:Neo4j:Url", error.Message, StringComparison.Ordinal);
        Assert.Contains($"only {configured} is set", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
