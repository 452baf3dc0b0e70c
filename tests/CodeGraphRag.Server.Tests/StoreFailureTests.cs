using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// Store failures reach callers as the status they can act on, with one line that names no server path: a damaged
/// database is DATA_LOSS (an operator runs <c>cgr repair</c>), an unwritable data directory FAILED_PRECONDITION, a full disk
/// RESOURCE_EXHAUSTED. Before, each was INTERNAL ("failed on the server"). The failures are raised by a catalog that
/// throws, once armed, what the embedded store throws in those states.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class StoreFailureTests : IAsyncLifetime
{
    private const string DataPath = "/srv/cgr-secret-layout/data";
    private readonly FailingCatalog.Switch _failure = new();
    private TestServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _server = await TestServer.StartAsync(services: s =>
            s.AddSingleton<IRepositoryCatalog>(sp => new FailingCatalog(sp.GetRequiredService<EmbeddedStore>(), _failure)));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, StatusCode, string> Failures => new()
    {
        { "damaged", StatusCode.DataLoss, "cgr repair" },
        { "sqlite-corrupt", StatusCode.DataLoss, "cgr repair" },
        { "read-only", StatusCode.FailedPrecondition, "cannot write its data directory (read-only file system)" },
        { "disk-full", StatusCode.ResourceExhausted, "disk is full" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Search_StoreFailure_MapsToActionableStatusWithoutServerPaths(string failure, StatusCode expected, string message)
    {
        _failure.Exception = failure switch
        {
            "damaged" => new DatabaseDamagedException($"{DataPath}/index.db", "database disk image is malformed", null),
            "sqlite-corrupt" => new Microsoft.Data.Sqlite.SqliteException("SQLite Error 11: 'database disk image is malformed'.", 11),
            "read-only" => new DataDirectoryAccessException(DataPath, $"{DataPath}/index.db", new IOException("Read-only file system", 30)),
            _ => new IOException("No space left on device", 28),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, cancellationToken: Ct));

        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(message, ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("cgr-secret-layout", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(_server.Audit.Entries, e => e.Contains("operation=Search", StringComparison.Ordinal) && e.Contains(expected.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_UnexpectedFailure_StaysInternal()
    {
        _failure.Exception = new InvalidOperationException($"something in {DataPath}");

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _server.Client.SearchAsync(new V1.SearchRequest { Query = "cache" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("cgr-secret-layout", ex.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Delegates to the real catalog; while an exception is set, listing repositories throws it.</summary>
    private sealed class FailingCatalog(IRepositoryCatalog inner, FailingCatalog.Switch failure) : DelegatingCatalog(inner)
    {
        public override Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) =>
            failure.Exception is { } exception ? Task.FromException<IReadOnlyList<RepositoryInfo>>(exception) : base.ListRepositoriesAsync(cancellationToken);


        public sealed class Switch
        {
            public volatile Exception? Exception;
        }
    }
}
