using CodeGraphRag.Api;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Tests;

/// <summary>
/// The real server in this process on loopback (API keys: an admin and a reader), with the sample repository indexed
/// as <c>acme</c>, for the <c>cgr --server</c> tests (the CLI runs as a child process).
/// </summary>
public sealed class RemoteServerFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string ReaderKey = "reader-key-0123456789abcdef";
    public const string Repository = "acme";

    private readonly TempDirectory _temp = new("cgr-cli-remote");
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public string Address { get; private set; } = string.Empty;

    public string Tree => Path.Combine(_temp.Path, "acme");

    public string ServerDataDirectory => Path.Combine(_temp.Path, "server-data");

    /// <summary>A data directory for the CLI child processes (they must not touch the server's).</summary>
    public string ClientDataDirectory => Path.Combine(_temp.Path, "client-data");

    public string Scratch => _temp.Path;

    public V1.CodeGraphRag.CodeGraphRagClient Client { get; private set; } = null!;

    public static Metadata Admin { get; } = new() { { "x-api-key", AdminKey } };

    public async ValueTask InitializeAsync()
    {
        Fixtures.CopyTo("sample-repo", Tree);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CodeGraphRag:Server:GrpcPort"] = "0",
            ["CodeGraphRag:Server:HttpPort"] = "0",
            ["CodeGraphRag:Server:BindAddress"] = "127.0.0.1",
            ["CodeGraphRag:Server:AllowedRoots"] = Fixtures.ServerAllowedRoots,
            ["CodeGraphRag:Cluster:SiloPort"] = "0",
            ["CodeGraphRag:Cluster:GatewayPort"] = "0",
            ["CodeGraphRag:Cluster:ClusterId"] = "cli-" + Guid.NewGuid().ToString("N")[..8],
            ["CodeGraphRag:Storage:Embedded:DataDirectory"] = ServerDataDirectory,
            ["CodeGraphRag:Auth:Mode"] = "ApiKey",
            ["CodeGraphRag:Auth:AdminGroup"] = "admins",
            ["CodeGraphRag:Auth:ApiKeys:0:Key"] = AdminKey,
            ["CodeGraphRag:Auth:ApiKeys:0:Principal"] = "admin",
            ["CodeGraphRag:Auth:ApiKeys:0:Groups"] = "admins",
            ["CodeGraphRag:Auth:ApiKeys:1:Key"] = ReaderKey,
            ["CodeGraphRag:Auth:ApiKeys:1:Principal"] = "reader",
            ["CodeGraphRag:Auth:ApiKeys:1:Groups"] = "readers",
        };
        var builder = CodeGraphRagServer.CreateBuilder([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]);
        builder.Logging.ClearProviders();
        _app = CodeGraphRagServer.Build(builder);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var grpc = CodeGraphRagServer.GetEndpoints(_app).Grpc;
        Address = grpc.ToString();
        _channel = GrpcChannel.ForAddress(grpc);
        Client = new V1.CodeGraphRag.CodeGraphRagClient(_channel);
        await Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { Name = Repository, LocalPath = Tree }, Admin);
        using var sync = Client.Sync(new V1.SyncRequest { Repository = Repository }, Admin, TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(3));
        V1.SyncProgress? last = null;
        await foreach (var p in sync.ResponseStream.ReadAllAsync())
        {
            last = p;
        }

        Assert.Equal(V1.SyncPhase.Completed, last?.Phase);
    }

    /// <summary>Runs <c>cgr</c> with <c>--server</c> and the given key appended.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> CgrAsync(string apiKey, params string[] args) =>
        CgrProcess.RunAsync(ClientDataDirectory, [.. args, "--server", Address, "--api-key", apiKey]);

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _temp.Dispose();
    }
}
