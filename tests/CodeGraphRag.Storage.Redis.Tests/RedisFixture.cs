using CodeGraphRag.TestInfrastructure;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>One real Redis and one connection shared by a test class; tests keep apart through unique key prefixes.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _redis;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public ConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>A cache over the shared connection with its own key prefix (or <paramref name="prefix"/>).</summary>
    public RedisEmbeddingCache NewCache(string? prefix = null) =>
        new(Redis, new RedisOptions { ConnectionString = Server.ConnectionString, KeyPrefix = prefix ?? RedisServer.UniquePrefix() });

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync(TestContext.Current.CancellationToken);
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
}
