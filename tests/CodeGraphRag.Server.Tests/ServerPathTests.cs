using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// Server paths a caller may register: only under <c>CodeGraphRag:Server:AllowedRoots</c>, judged on the real path
/// (<c>..</c> removed, symbolic links followed), and none at all by default.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class ServerPathTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("cgr-allowed");
    private readonly TempDirectory _outside = new("cgr-outside");
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private V1.CodeGraphRag.CodeGraphRagClient Client => _server.Client;

    public async ValueTask InitializeAsync()
    {
        _root.Write("repo/a.py", "def inside():\n    return 1\n");
        _outside.Write("secret/b.py", "def outside():\n    return 2\n");
        _server = await TestServer.StartAsync(new Dictionary<string, string> { ["CodeGraphRag:Server:AllowedRoots"] = _root.Path });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _root.Dispose();
        _outside.Dispose();
    }

    [Fact]
    public async Task Register_InsideTheRoot_StoredAsItsRealPathAndSyncs()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root.Path, "alias"), Path.Combine(_root.Path, "repo"));
        var registered = await Register("aliased", Path.Combine(_root.Path, "alias"));
        Assert.Equal(Path.Combine(_root.Path, "repo"), registered.Source);

        var progress = await _server.SyncAsync("aliased");
        Assert.Equal(V1.SyncPhase.Completed, progress[^1].Phase);
        Assert.Equal(1, progress[^1].FilesIndexed);
    }

    [Fact]
    public async Task Register_DotDotOutOfTheRoot_PermissionDenied()
    {
        var escape = Path.Combine(_root.Path, "..", Path.GetFileName(_outside.Path), "secret");
        var ex = await Assert.ThrowsAsync<RpcException>(() => Register("escape", escape));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("CodeGraphRag:Server:AllowedRoots", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Null(await Catalog.GetRepositoryAsync("escape", Ct));
    }

    [Fact]
    public async Task Register_SymlinkInsideTheRootLeadingOut_PermissionDenied()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root.Path, "door"), _outside.Path);
        var ex = await Assert.ThrowsAsync<RpcException>(() => Register("door", Path.Combine(_root.Path, "door", "secret")));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Null(await Catalog.GetRepositoryAsync("door", Ct));
    }

    [Fact]
    public async Task Sync_RegisteredOutsideTheRootsBeforeTheyWereSet_PermissionDeniedAndNothingIndexed()
    {
        await Catalog.UpsertRepositoryAsync(new RepositoryInfo("legacy", Path.Combine(_outside.Path, "secret"), null, null, null, []), Ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.SyncAsync("legacy"));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(0, (await Catalog.GetStatsAsync("legacy", Ct)).Chunks);
    }

    [Fact]
    public void Startup_LogsBindAddressAuthAndAllowedRoots()
    {
        var line = Assert.Single(_server.Audit.ServerLines, l => l.StartsWith("Listening on", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
        Assert.Contains("authentication: None (loopback only)", line, StringComparison.Ordinal);
        Assert.Contains(_root.Path, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_NoRootsConfigured_GitUrlsOnly()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string> { ["CodeGraphRag:Server:AllowedRoots"] = string.Empty });
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RegisterRepositoryAsync(
            new V1.RegisterRepositoryRequest { Name = "local", LocalPath = Path.Combine(_root.Path, "repo") }, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("git URLs only", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(server.Audit.ServerLines, l => l.EndsWith("server paths allowed under: none (git URLs only)", StringComparison.Ordinal));

        var git = await server.Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { GitUrl = "https://example.com/org/repo.git" }, cancellationToken: Ct);
        Assert.Equal("example.com/org/repo", git.Name);
    }

    private IRepositoryCatalog Catalog => _server.Services.GetRequiredService<IRepositoryCatalog>();

    private async Task<V1.Repository> Register(string name, string path)
        => await Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { Name = name, LocalPath = path }, cancellationToken: Ct);
}
