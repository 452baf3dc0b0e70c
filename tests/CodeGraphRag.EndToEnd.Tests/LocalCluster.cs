using CodeGraphRag.Api.V1;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace CodeGraphRag.EndToEnd.Tests;

/// <summary>
/// Real silo processes on loopback: Redis membership and grain state (a real redis-server), one shared embedded store
/// directory (SQLite in WAL mode, several writers), and the roles each silo is started with.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly List<ServerProcess> _silos = [];
    private readonly List<GrpcChannel> _channels = [];
    private readonly string _clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    private LocalCluster(RedisServer redis, string dataDirectory)
    {
        _redis = redis;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>Extra settings for every silo started after they are set (e.g. a short embedder wait).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public static async Task<LocalCluster> StartRedisAsync(string dataDirectory, CancellationToken cancellationToken) =>
        new(await RedisServer.StartAsync(cancellationToken), dataDirectory);

    /// <summary>Starts a silo with the given roles (comma list) and waits until it is ready.</summary>
    public async Task<ServerProcess> StartSiloAsync(string name, string roles)
    {
        var settings = new Dictionary<string, string>(Settings, StringComparer.Ordinal)
        {
            ["CodeGraphRag__Cluster__Clustering"] = "Redis",
            ["CodeGraphRag__Cluster__ClusterId"] = _clusterId,
            ["CodeGraphRag__Cluster__ServiceId"] = _clusterId,
            ["CodeGraphRag__Cluster__Roles"] = roles,
            ["CodeGraphRag__Storage__Redis__ConnectionString"] = _redis.ConnectionString,
            ["CodeGraphRag__Storage__Redis__KeyPrefix"] = _clusterId,
            ["CodeGraphRag__Storage__Embedded__DataDirectory"] = DataDirectory,
            ["CGR_DATA_DIR"] = DataDirectory,
            // Fast failure detection, so a killed silo is declared dead in seconds rather than the production default.
            ["CodeGraphRag__Cluster__Membership__ProbeTimeout"] = "00:00:02",
            ["CodeGraphRag__Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["CodeGraphRag__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        };
        for (var attempt = 1; ; attempt++)
        {
            var silo = ServerProcess.Start(name, settings);
            _silos.Add(silo);
            try
            {
                await silo.WaitReadyAsync(TimeSpan.FromMinutes(3));
                return silo;
            }
            catch (InvalidOperationException) when (attempt < 3 && silo.HasExited && silo.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // The free ports are found by binding to port 0 and letting go, so another process can take one before
                // the silo binds it (seen once in CI: Kestrel's "address already in use"). A new set of ports, not a wait.
                _silos.Remove(silo);
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>A generated client on its own channel to <paramref name="silo"/>.</summary>
    public Api.V1.CodeGraphRag.CodeGraphRagClient ClientFor(ServerProcess silo)
    {
        var channel = GrpcChannel.ForAddress(silo.GrpcAddress);
        _channels.Add(channel);
        return new Api.V1.CodeGraphRag.CodeGraphRagClient(channel);
    }

    /// <summary>Output of every silo, for failure messages.</summary>
    public string Logs => string.Join("\n", _silos.Select(s => $"===== {s.Name}{(s.HasExited ? " (exited)" : string.Empty)} =====\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    /// <summary>Runs a Sync to its end and returns every update; the last one is the outcome.</summary>
    public static async Task<List<SyncProgress>> SyncAsync(
        Api.V1.CodeGraphRag.CodeGraphRagClient client, string repository, Func<SyncProgress, Task>? onUpdate = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<SyncProgress>();
        using var call = client.Sync(new SyncRequest { Repository = repository }, cancellationToken: cancellationToken);
        await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            updates.Add(update);
            if (onUpdate is not null)
            {
                await onUpdate(update);
            }
        }

        return updates;
    }
}
