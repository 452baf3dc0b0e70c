using CodeGraphRag.TestInfrastructure;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>The cluster-wide embedding cache against a real Redis.</summary>
public sealed class RedisEmbeddingCacheTests : IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _redis;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync(Ct);
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private RedisEmbeddingCache NewCache(string? prefix = null) =>
        new(_redis!, new RedisOptions { ConnectionString = _server!.ConnectionString, KeyPrefix = prefix ?? RedisServer.UniquePrefix() });

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutThenGet_ReturnsExactVectorsOnlyForStoredKeys()
    {
        var cache = NewCache();
        float[] a = [0.25f, -1.5f, float.Epsilon, 3.4e38f];
        float[] b = [1f, 0f, 0f, -0f];

        await cache.PutManyAsync("m@1", [new("ha", a), new("hb", b)], Ct);
        var got = await cache.GetManyAsync("m@1", ["ha", "hb", "missing"], Ct);

        Assert.Equal(2, got.Count);
        Assert.Equal(a, got["ha"]);
        Assert.Equal(b, got["hb"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task Put_ExistingKey_KeepsFirstVector()
    {
        var cache = NewCache();
        await cache.PutManyAsync("m@1", [new("h", [1f, 2f])], Ct);

        await cache.PutManyAsync("m@1", [new("h", [9f, 9f])], Ct);

        Assert.Equal(new[] { 1f, 2f }, (await cache.GetManyAsync("m@1", ["h"], Ct))["h"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task Get_OtherModelOrPrefix_DoesNotSeeVectors()
    {
        var prefix = RedisServer.UniquePrefix();
        await NewCache(prefix).PutManyAsync("m@1", [new("h", [1f])], Ct);

        Assert.Empty(await NewCache(prefix).GetManyAsync("m@2", ["h"], Ct));
        Assert.Empty(await NewCache().GetManyAsync("m@1", ["h"], Ct));
        Assert.Single(await NewCache(prefix).GetManyAsync("m@1", ["h"], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutMany_MoreThanOneBatch_AllReadableByAnotherInstance()
    {
        var prefix = RedisServer.UniquePrefix();
        var entries = Enumerable.Range(0, 1300).Select(i => new KeyValuePair<string, float[]>($"h{i}", [i, -i])).ToList();

        await NewCache(prefix).PutManyAsync("m", entries, Ct);
        var got = await NewCache(prefix).GetManyAsync("m", [.. entries.Select(e => e.Key), "h1", "h1"], Ct);

        Assert.Equal(1300, got.Count);
        Assert.All(entries, e => Assert.Equal(e.Value, got[e.Key]));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task Get_CorruptValue_FailsClearly()
    {
        var prefix = RedisServer.UniquePrefix();
        await _redis!.GetDatabase().StringSetAsync($"{prefix}:emb:m:bad", new byte[] { 1, 2, 3 });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => NewCache(prefix).GetManyAsync("m", ["bad"], Ct));
        Assert.Contains("3 bytes", error.Message, StringComparison.Ordinal);
    }
}
