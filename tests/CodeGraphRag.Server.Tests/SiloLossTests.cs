using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// A call that fails because a silo it needs is gone answers UNAVAILABLE (transient: retry), not INTERNAL. In a cluster
/// the fault comes from a grain call or a grain-directory lookup that still points at a killed silo (scripts/soak.sh saw
/// Search, GetContext and Status fail that way on the surviving silo until membership declared the killed one dead); here
/// the catalog, which every read awaits first, throws the same Orleans exception once armed.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SiloLossTests : IAsyncLifetime
{
    private readonly FailingCatalog.Switch _fail = new();
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _server = await TestServer.StartAsync(services: s =>
            s.AddSingleton<IRepositoryCatalog>(sp => new FailingCatalog(sp.GetRequiredService<EmbeddedStore>(), _fail)));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Search_SiloUnavailable_UnavailableAndAudited()
    {
        await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, cancellationToken: Ct);
        _fail.Armed = true;

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("retry", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(_server.Audit.Entries, e => e.Contains("operation=Search", StringComparison.Ordinal) && e.Contains("status=Unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_SiloUnavailable_UnavailableThenOkOnceTheSiloIsBack()
    {
        _fail.Armed = true;

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.StatusAsync(new V1.StatusRequest { Repository = "any" }, cancellationToken: Ct));
        _fail.Armed = false;
        var after = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.StatusAsync(new V1.StatusRequest { Repository = "any" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(StatusCode.NotFound, after.StatusCode);
    }

    /// <summary>Delegates to the real catalog; while armed, listing repositories fails as a call to a dead silo does.</summary>
    private sealed class FailingCatalog(IRepositoryCatalog inner, FailingCatalog.Switch fail) : IRepositoryCatalog
    {
        public Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default)
            => fail.Armed
                ? Task.FromException<IReadOnlyList<RepositoryInfo>>(new SiloUnavailableException("The target silo became unavailable for message: Request [S127.0.0.1:11111:1]"))
                : inner.ListRepositoriesAsync(cancellationToken);

        public Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) => inner.GetRepositoryAsync(name, cancellationToken);

        public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) => inner.UpsertRepositoryAsync(repository, cancellationToken);

        public Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default) => inner.GetManifestAsync(repository, cancellationToken);

        public Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) => inner.GetFileAsync(repository, path, cancellationToken);

        public Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default) => inner.GetStatsAsync(repository, cancellationToken);

        public sealed class Switch
        {
            public volatile bool Armed;
        }
    }
}
