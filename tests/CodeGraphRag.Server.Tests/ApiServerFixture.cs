using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>One server without authentication that has indexed the sample repository (as <c>sample</c>) through the API.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public const string Repository = "sample";

    internal TestServer Server { get; private set; } = null!;

    public IReadOnlyList<V1.SyncProgress> InitialSync { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        InitialSync = await Server.RegisterAndSyncAsync(Repository, Fixtures.Path("sample-repo"));
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
