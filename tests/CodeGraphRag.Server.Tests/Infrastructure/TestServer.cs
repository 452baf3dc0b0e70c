using CodeGraphRag.Api;
using CodeGraphRag.Hosting.Server;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>The real server in this process on loopback port 0 with a temporary data directory and localhost clustering.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private TestServer(WebApplication app, TempDirectory data, AuditCapture audit)
    {
        _app = app;
        _data = data;
        Audit = audit;
        Endpoints = CodeGraphRagServer.GetEndpoints(app);
        Channel = GrpcChannel.ForAddress(Endpoints.Grpc);
        Client = new V1.CodeGraphRag.CodeGraphRagClient(Channel);
        Http = new HttpClient { BaseAddress = Endpoints.Http };
    }

    public ServerEndpoints Endpoints { get; }

    public GrpcChannel Channel { get; }

    public V1.CodeGraphRag.CodeGraphRagClient Client { get; }

    public HttpClient Http { get; }

    public AuditCapture Audit { get; }

    public string DataDirectory => _data.Path;

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var data = new TempDirectory("cgr-server");
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CodeGraphRag:Server:GrpcPort"] = "0",
            ["CodeGraphRag:Server:HttpPort"] = "0",
            ["CodeGraphRag:Server:BindAddress"] = "127.0.0.1",
            ["CodeGraphRag:Server:AllowedRoots"] = Fixtures.ServerAllowedRoots,
            ["CodeGraphRag:Cluster:SiloPort"] = "0",
            ["CodeGraphRag:Cluster:GatewayPort"] = "0",
            ["CodeGraphRag:Cluster:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["CodeGraphRag:Storage:Embedded:DataDirectory"] = data.Path,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args[key] = value;
        }

        var builder = CodeGraphRagServer.CreateBuilder([.. args.Select(kv => $"--{kv.Key}={kv.Value}")]);
        var audit = new AuditCapture();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(audit);
        services?.Invoke(builder.Services);
        var app = CodeGraphRagServer.Build(builder);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            data.Dispose();
            throw;
        }

        return new TestServer(app, data, audit);
    }

    /// <summary>Registers a local directory and syncs it to completion, returning every progress message.</summary>
    public async Task<List<V1.SyncProgress>> RegisterAndSyncAsync(string name, string path, Metadata? headers = null, params string[] readGroups)
    {
        var register = new V1.RegisterRepositoryRequest { Name = name, LocalPath = path };
        register.ReadGroups.AddRange(readGroups);
        await Client.RegisterRepositoryAsync(register, headers);
        return await SyncAsync(name, headers);
    }

    public async Task<List<V1.SyncProgress>> SyncAsync(string name, Metadata? headers = null)
    {
        using var call = Client.Sync(new V1.SyncRequest { Repository = name }, headers, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(3));
        var progress = new List<V1.SyncProgress>();
        await foreach (var p in call.ResponseStream.ReadAllAsync())
        {
            progress.Add(p);
        }

        return progress;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
