using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Embeddings.Tests.Hosting;

[Trait("Category", TestCategories.Unit)]
public sealed class EmbeddingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddCodeGraphRagEmbeddings_ResolvedButNotEmbedding_DoesNotLoadTheModel()
    {
        using var provider = Build(new Dictionary<string, string?>());

        var embedder = provider.GetRequiredService<IEmbedder>();
        var counter = provider.GetRequiredService<ITokenCounter>();
        var model = embedder.Model;
        var tokens = counter.CountTokens("def add(a, b): return a + b", 512);

        Assert.Same(embedder, counter);
        Assert.StartsWith("snowflake-arctic-embed-xs@", model.Id, StringComparison.Ordinal);
        Assert.Equal(384, model.Dimensions);
        Assert.True(tokens > 5);
        Assert.False(((LazyOnnxEmbedder)embedder).IsLoaded);
    }

    [Fact]
    public void AddCodeGraphRagEmbeddings_ConfigurationSection_IsBound()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["CodeGraphRag:Embedding:Model"] = "minilm",
            ["CodeGraphRag:Embedding:BatchSize"] = "16",
            ["CodeGraphRag:Embedding:MaxWait"] = "00:00:00.010",
        });

        var options = provider.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;

        Assert.Equal("minilm", options.Model);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.MaxWait);
        Assert.EndsWith("/mean", provider.GetRequiredService<IEmbedder>().Model.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeGraphRagEmbeddings_CudaOnCpuBuild_FailsValidationWithTheOneLine()
    {
        Assert.SkipWhen(DeviceSpec.CudaBuild, "the cuda flavour accepts Device=cuda");
        using var provider = Build(new Dictionary<string, string?> { ["CodeGraphRag:Embedding:Device"] = "cuda" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbedder>());

        Assert.Equal(["CodeGraphRag:Embedding:Device=cuda needs the CUDA build: dotnet build -p:CgrOnnxFlavor=cuda"], error.Failures);
    }

    [Fact]
    public void AddCodeGraphRagEmbeddings_ConfigureDelegate_AppliesAfterBinding()
    {
        using var provider = Build(new Dictionary<string, string?> { ["CodeGraphRag:Embedding:Model"] = "minilm" }, o => o.Model = "path");

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbedder>());

        Assert.Contains(error.Failures, f => f.StartsWith("CodeGraphRag:Embedding:ModelPath must be set", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<OnnxEmbeddingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddCodeGraphRagEmbeddings(configure);
        return services.BuildServiceProvider();
    }
}
