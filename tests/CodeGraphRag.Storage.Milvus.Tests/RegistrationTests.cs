using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>Options binding, validation and the DI registration.</summary>
public sealed class RegistrationTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagMilvus_Configuration_BindsSectionAndRegistersOneIndexForBothPorts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodeGraphRag:Storage:Milvus:Url"] = "http://milvus:19530",
            ["CodeGraphRag:Storage:Milvus:Token"] = "root:Milvus",
            ["CodeGraphRag:Storage:Milvus:Database"] = "code",
            ["CodeGraphRag:Storage:Milvus:Collection"] = "chunks_v2",
            ["CodeGraphRag:Storage:Milvus:Shards"] = "4",
            ["CodeGraphRag:Storage:Milvus:Dimensions"] = "768",
            ["CodeGraphRag:Storage:Milvus:ModelId"] = "arctic-xs@1/cls",
            ["CodeGraphRag:Storage:Milvus:RequestTimeout"] = "00:00:10",
        }).Build();
        using var provider = new ServiceCollection().AddCodeGraphRagMilvus(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MilvusOptions>>().Value;
        var index = provider.GetRequiredService<IChunkIndex>();

        Assert.Equal(("http://milvus:19530", "code", "chunks_v2", 4, 768, TimeSpan.FromSeconds(10)), (options.Url, options.Database, options.Collection, options.Shards, options.Dimensions, options.RequestTimeout));
        Assert.Same(index, provider.GetRequiredService<IChunkStore>());
        Assert.Same(index, provider.GetRequiredService<MilvusChunkIndex>());
        Assert.Equal("chunks_v2", ((MilvusChunkIndex)index).Collection);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagMilvus_InvalidOptions_FailsListingEveryKeyToSet()
    {
        using var provider = new ServiceCollection()
            .AddCodeGraphRagMilvus(o =>
            {
                o.Url = "milvus:19530";
                o.Collection = "1-bad";
                o.Shards = 17;
                o.Dimensions = 0;
                o.ConsistencyLevel = "strong";
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MilvusOptions>>().Value);

        foreach (var key in (string[])["Milvus:Url", "Milvus:Collection", "Milvus:Shards", "Milvus:Dimensions", "Milvus:ModelId", "Milvus:ConsistencyLevel"])
        {
            Assert.Contains(error.Failures, f => f.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagMilvus_Action_DefaultsAreValid()
    {
        using var provider = new ServiceCollection()
            .AddCodeGraphRagMilvus(o =>
            {
                o.Url = "https://milvus.example:443";
                o.ModelId = "m";
            })
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MilvusOptions>>().Value;

        Assert.Equal(("cgr_chunks", 2, "Strong", "HNSW"), (options.Collection, options.Shards, options.ConsistencyLevel, options.IndexType));
    }
}
