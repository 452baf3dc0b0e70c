using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Tests.Embedding;

public sealed class EmbeddingCallOptionsTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagGrains_EmbeddingCallsSectionSet_Bound()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:EmbeddingCalls:QueryTimeout"] = "00:00:04",
            ["CodeGraphRag:EmbeddingCalls:Attempts"] = "3",
        });

        var options = provider.GetRequiredService<IOptions<EmbeddingCallOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(4), options.QueryTimeout);
        Assert.Equal(3, options.Attempts);
        Assert.Equal(new EmbeddingCallOptions().DocumentTimeout, options.DocumentTimeout);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagGrains_BadEmbeddingCallsSettings_EveryBadKeyNamed()
    {
        using var provider = Services(new()
        {
            ["CodeGraphRag:EmbeddingCalls:QueryTimeout"] = "00:00:00",
            ["CodeGraphRag:EmbeddingCalls:DocumentTimeout"] = "02:00:00",
            ["CodeGraphRag:EmbeddingCalls:Attempts"] = "0",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmbeddingCallOptions>>().Value);

        Assert.Equal(3, failure.Failures.Count());
        Assert.Contains(failure.Failures, f => f.StartsWith("CodeGraphRag:EmbeddingCalls:QueryTimeout ", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("CodeGraphRag:EmbeddingCalls:DocumentTimeout ", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("CodeGraphRag:EmbeddingCalls:Attempts ", StringComparison.Ordinal));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddCodeGraphRagGrains().BuildServiceProvider();
    }
}
