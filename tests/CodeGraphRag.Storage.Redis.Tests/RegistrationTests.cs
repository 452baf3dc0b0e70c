using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>Options binding, start-up validation and the TryAdd registration of the cache.</summary>
public sealed class RegistrationTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IConfiguration Configuration(string prefix) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["CodeGraphRag:Storage:Redis:ConnectionString"] = fixture.Server.ConnectionString,
        ["CodeGraphRag:Storage:Redis:KeyPrefix"] = prefix,
        ["CodeGraphRag:Storage:Redis:EmbeddingTimeToLive"] = "1.00:00:00",
    }).Build();

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task AddCodeGraphRagRedisEmbeddingCache_Configuration_BindsSectionAndServesOneCacheOverOneConnection()
    {
        var prefix = RedisServer.UniquePrefix();
        await using var provider = new ServiceCollection().AddCodeGraphRagRedisEmbeddingCache(Configuration(prefix)).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RedisOptions>>().Value;
        var cache = provider.GetRequiredService<IEmbeddingCache>();
        await cache.PutManyAsync("m", [new("h", [1f])], Ct);

        Assert.Equal((fixture.Server.ConnectionString, prefix, TimeSpan.FromDays(1)), (options.ConnectionString, options.KeyPrefix, options.EmbeddingTimeToLive));
        Assert.Same(provider.GetRequiredService<RedisEmbeddingCache>(), cache);
        Assert.Same(provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<IConnectionMultiplexer>());
        Assert.True(await fixture.Redis.GetDatabase().KeyExistsAsync($"{prefix}:emb:m:h"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisEmbeddingCache_Action_OverridesRegisteredConfiguration()
    {
        var services = new ServiceCollection().AddSingleton(Configuration("from-config"));

        services.AddCodeGraphRagRedisEmbeddingCache(o => o.KeyPrefix = "from-code");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RedisOptions>>().Value;
        Assert.Equal((fixture.Server.ConnectionString, "from-code"), (options.ConnectionString, options.KeyPrefix));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisEmbeddingCache_InvalidOptions_StartupValidationListsEveryKey()
    {
        using var provider = new ServiceCollection()
            .AddCodeGraphRagRedisEmbeddingCache(o =>
            {
                o.KeyPrefix = string.Empty;
                o.EmbeddingTimeToLive = TimeSpan.FromMinutes(-1);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        foreach (var key in (string[])["Redis:ConnectionString", "Redis:KeyPrefix", "Redis:EmbeddingTimeToLive"])
        {
            Assert.Contains(error.Failures, f => f.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisEmbeddingCache_CalledTwice_OneValidatorOneRegistrationEach()
    {
        var services = new ServiceCollection();

        services.AddCodeGraphRagRedisEmbeddingCache(Configuration("p"));
        services.AddCodeGraphRagRedisEmbeddingCache(Configuration("p"));

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<RedisOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IEmbeddingCache));
        Assert.Single(services, d => d.ServiceType == typeof(IConnectionMultiplexer));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisEmbeddingCache_EarlierCacheRegistered_EarlierOneWins()
    {
        var earlier = new NoCache();
        var services = new ServiceCollection().AddSingleton<IEmbeddingCache>(earlier);

        services.AddCodeGraphRagRedisEmbeddingCache(Configuration("p"));
        using var provider = services.BuildServiceProvider();

        Assert.Same(earlier, provider.GetRequiredService<IEmbeddingCache>());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisEmbeddingCache_LaterTryAddOfAnotherCache_RedisStays()
    {
        var services = new ServiceCollection();

        services.AddCodeGraphRagRedisEmbeddingCache(Configuration("p"));
        services.TryAddSingleton<IEmbeddingCache>(new NoCache());

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IEmbeddingCache));
        Assert.NotNull(descriptor.ImplementationFactory);
    }

    private sealed class NoCache : IEmbeddingCache
    {
        public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(string modelId, IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<string, float[]>>(new Dictionary<string, float[]>());

        public Task PutManyAsync(string modelId, IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
