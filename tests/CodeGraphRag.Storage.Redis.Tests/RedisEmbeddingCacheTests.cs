using System.Buffers.Binary;
using CodeGraphRag.TestInfrastructure;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>What only the Redis cache has: its wire format, key prefixes, sharing across instances and failure translation.</summary>
public sealed class RedisEmbeddingCacheTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutMany_WritesLittleEndianFloat32UnderPrefixModelAndHashWithTimeToLive()
    {
        var prefix = RedisServer.UniquePrefix();

        await fixture.NewCache(prefix).PutManyAsync("m@1/cls", [new("abc", [1.5f, -2f])], Ct);

        var db = fixture.Redis.GetDatabase();
        var raw = (byte[])(await db.StringGetAsync($"{prefix}:emb:m@1/cls:abc"))!;
        Assert.Equal(8, raw.Length);
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(0, 4)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4, 4)));
        var ttl = await db.KeyTimeToLiveAsync($"{prefix}:emb:m@1/cls:abc");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutMany_NoTimeToLive_KeyDoesNotExpire()
    {
        var prefix = RedisServer.UniquePrefix();
        var cache = new RedisEmbeddingCache(fixture.Redis, new RedisOptions { ConnectionString = fixture.Server.ConnectionString, KeyPrefix = prefix, EmbeddingTimeToLive = null });

        await cache.PutManyAsync("m", [new("h", [1f])], Ct);

        Assert.Null(await fixture.Redis.GetDatabase().KeyTimeToLiveAsync($"{prefix}:emb:m:h"));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task GetMany_OtherPrefix_DoesNotSeeVectors()
    {
        var prefix = RedisServer.UniquePrefix();
        await fixture.NewCache(prefix).PutManyAsync("m@1", [new("h", [1f])], Ct);

        Assert.Empty(await fixture.NewCache().GetManyAsync("m@1", ["h"], Ct));
        Assert.Single(await fixture.NewCache(prefix).GetManyAsync("m@1", ["h"], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutMany_MoreThanOneBatch_AllReadableByAnotherInstanceOnAnotherConnection()
    {
        var prefix = RedisServer.UniquePrefix();
        var entries = Enumerable.Range(0, 1300).Select(i => new KeyValuePair<string, float[]>($"h{i}", [i, -i])).ToList();
        await using var other = await ConnectionMultiplexer.ConnectAsync(fixture.Server.ConnectionString);

        await fixture.NewCache(prefix).PutManyAsync("m", entries, Ct);
        var got = await new RedisEmbeddingCache(other, new RedisOptions { ConnectionString = fixture.Server.ConnectionString, KeyPrefix = prefix })
            .GetManyAsync("m", [.. entries.Select(e => e.Key), "h1", "h1"], Ct);

        Assert.Equal(1300, got.Count);
        Assert.All(entries, e => Assert.Equal(e.Value, got[e.Key]));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task Get_CorruptValue_FailsNamingTheKey()
    {
        var prefix = RedisServer.UniquePrefix();
        await fixture.Redis.GetDatabase().StringSetAsync($"{prefix}:emb:m:bad", new byte[] { 1, 2, 3 });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => fixture.NewCache(prefix).GetManyAsync("m", ["bad"], Ct));

        Assert.Contains("3 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{prefix}:emb:m:bad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutAndGet_ServerRefuses_WrappedNamingOperationAndEndpointWithoutThePassword()
    {
        var user = RedisServer.UniquePrefix();
        const string password = "pw-of-a-user-without-key-access";
        var admin = fixture.Redis.GetServer(fixture.Redis.GetEndPoints()[0]);
        await admin.ExecuteAsync("ACL", "SETUSER", user, "on", $">{password}", "~nothing:*", "+@all");
        try
        {
            await using var restricted = await ConnectionMultiplexer.ConnectAsync($"{fixture.Server.ConnectionString},user={user},password={password}");
            var cache = new RedisEmbeddingCache(restricted, new RedisOptions { ConnectionString = fixture.Server.ConnectionString });

            var put = await Assert.ThrowsAsync<RedisStoreException>(() => cache.PutManyAsync("m", [new("h", [1f])], Ct));
            var get = await Assert.ThrowsAsync<RedisStoreException>(() => cache.GetManyAsync("m", ["h"], Ct));

            Assert.Equal("EmbeddingCachePut", put.Operation);
            Assert.Equal("EmbeddingCacheGet", get.Operation);
            Assert.All([put, get], e =>
            {
                Assert.StartsWith(e.Endpoint!, fixture.Server.ConnectionString, StringComparison.Ordinal);
                Assert.StartsWith($"Redis {e.Operation} on {e.Endpoint} failed: NOPERM", e.Message, StringComparison.Ordinal);
                Assert.IsType<RedisServerException>(e.InnerException);
                Assert.DoesNotContain(password, e.ToString(), StringComparison.Ordinal);
            });
        }
        finally
        {
            await admin.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task PutAndGet_UnreachableServer_WrappedWithoutThePassword()
    {
        const string password = "pw-never-in-messages";
        var endpoint = $"127.0.0.1:{LoopbackPort.Unused()}";
        var config = ConfigurationOptions.Parse($"{endpoint},password={password},abortConnect=false,connectTimeout=200,connectRetry=0");
        config.BacklogPolicy = BacklogPolicy.FailFast;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
        var cache = new RedisEmbeddingCache(redis, new RedisOptions { ConnectionString = $"{endpoint},password={password}" });

        var put = await Assert.ThrowsAsync<RedisStoreException>(() => cache.PutManyAsync("m", [new("h", [1f])], Ct));
        var get = await Assert.ThrowsAsync<RedisStoreException>(() => cache.GetManyAsync("m", ["h"], Ct));

        Assert.Equal(("EmbeddingCachePut", endpoint), (put.Operation, put.Endpoint));
        Assert.Equal(("EmbeddingCacheGet", endpoint), (get.Operation, get.Endpoint));
        Assert.All([put, get], e =>
        {
            Assert.True(e.InnerException is RedisException or RedisTimeoutException, e.InnerException?.GetType().Name);
            Assert.DoesNotContain(password, e.ToString(), StringComparison.Ordinal);
        });
    }
}
