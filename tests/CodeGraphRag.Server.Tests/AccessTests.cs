using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using static CodeGraphRag.Server.Tests.AccessServerFixture;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class AccessTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private V1.CodeGraphRag.CodeGraphRagClient Client => fixture.Server.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata TeamA => Key(TeamAKey);

    private static Metadata Both => Key(BothKey);

    [Fact]
    public async Task AnyRpc_NoOrBadCredentials_Unauthenticated()
    {
        var calls = new Func<Metadata?, Task>[]
        {
            h => Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), h, cancellationToken: Ct).ResponseAsync,
            h => Client.SearchAsync(new V1.SearchRequest { Query = "tax" }, h, cancellationToken: Ct).ResponseAsync,
            h => Client.StatusAsync(new V1.StatusRequest { Repository = Shop }, h, cancellationToken: Ct).ResponseAsync,
            h => Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { GitUrl = "https://example.com/a/b.git" }, h, cancellationToken: Ct).ResponseAsync,
        };
        var credentials = new Metadata?[]
        {
            null,
            Key("not-a-configured-key-at-all"),
            Bearer("not.a.jwt"),
            Bearer(Jwt("mallory", ["team-b"], signingKey: "another-signing-key-of-at-least-32-chars!")),
            Bearer(Jwt("late", ["team-b"], lifetime: TimeSpan.FromMinutes(-5))),
        };
        foreach (var call in calls)
        {
            foreach (var headers in credentials)
            {
                var ex = await Assert.ThrowsAsync<RpcException>(() => call(headers));
                Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
            }
        }
    }

    [Fact]
    public async Task ApiKeyAndJwt_Accepted_WithTheirGroups()
    {
        var byKey = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Both, cancellationToken: Ct);
        Assert.Equal([Billing, Shop], byKey.Repositories.Select(r => r.Name).Order(StringComparer.Ordinal));

        var byJwt = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(Jwt("carol", ["team-b"])), cancellationToken: Ct);
        Assert.Equal([Billing], byJwt.Repositories.Select(r => r.Name));

        var noGroups = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(Jwt("dave", [])), cancellationToken: Ct);
        Assert.Empty(noGroups.Repositories);
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=carol", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminOperations_WithoutAdminGroup_PermissionDenied()
    {
        var register = await Assert.ThrowsAsync<RpcException>(async () => await Client.RegisterRepositoryAsync(
            new V1.RegisterRepositoryRequest { GitUrl = "https://example.com/a/b.git" }, Both, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, register.StatusCode);
        var remove = await Assert.ThrowsAsync<RpcException>(async () => await Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = Shop }, TeamA, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, remove.StatusCode);
        var sync = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.Sync(new V1.SyncRequest { Repository = Shop }, TeamA, cancellationToken: Ct);
            await call.ResponseStream.MoveNext(Ct);
        });
        Assert.Equal(StatusCode.PermissionDenied, sync.StatusCode);
        var export = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.ExportFeedback(new V1.ExportFeedbackRequest { IncludeTexts = true }, Both, cancellationToken: Ct);
            await call.ResponseStream.MoveNext(Ct);
        });
        Assert.Equal(StatusCode.PermissionDenied, export.StatusCode);
        var cancel = await Assert.ThrowsAsync<RpcException>(async () => await Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = Shop }, TeamA, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, cancel.StatusCode);
        var cluster = await Assert.ThrowsAsync<RpcException>(async () => await Client.ClusterStatusAsync(new V1.ClusterStatusRequest(), Both, cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, cluster.StatusCode);
    }

    [Fact]
    public async Task ClusterStatus_Admin_OneSiloWithEveryRoleHoldingTheSyncedRepositoriesGrains()
    {
        var before = await Client.ClusterStatusAsync(new V1.ClusterStatusRequest(), Key(AdminKey), cancellationToken: Ct);
        _ = await Client.SearchAsync(new V1.SearchRequest { Query = "tax", Mode = V1.SearchMode.Lexical }, Key(AdminKey), cancellationToken: Ct);
        var after = await Client.ClusterStatusAsync(new V1.ClusterStatusRequest(), Key(AdminKey), cancellationToken: Ct);

        var silo = Assert.Single(after.Silos);
        Assert.Equal(Assert.Single(before.Silos).Address, silo.Address);
        Assert.Equal("Active", silo.Status);
        Assert.Equal(["indexer", "query", "embedder"], silo.Roles);
        Assert.True(silo.Started.ToDateTimeOffset() <= DateTimeOffset.UtcNow);
        // The fixture synced both repositories through their repository grains, and a search activates the search grain.
        Assert.True(silo.Activations.GetValueOrDefault("RepositoryGrain") >= 2, string.Join(", ", silo.Activations));
        Assert.True(silo.Activations.GetValueOrDefault("SearchGrain") >= 1, string.Join(", ", silo.Activations));
        Assert.All(silo.Activations.Keys, k => Assert.Contains(k, new[] { "RepositoryGrain", "FileGrain", "SearchGrain", "EmbeddingGrain" }));
    }

    [Fact]
    public async Task ListAndStatus_HiddenRepository_InvisibleAndNotFound()
    {
        var list = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), TeamA, cancellationToken: Ct);
        Assert.Equal([Shop], list.Repositories.Select(r => r.Name));

        var hidden = await Assert.ThrowsAsync<RpcException>(async () => await Client.StatusAsync(new V1.StatusRequest { Repository = Billing }, TeamA, cancellationToken: Ct));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Client.StatusAsync(new V1.StatusRequest { Repository = "no-such" }, TeamA, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(missing.StatusCode, hidden.StatusCode);
        Assert.Equal(missing.Status.Detail.Replace("no-such", Billing, StringComparison.Ordinal), hidden.Status.Detail);
    }

    [Fact]
    public async Task ListAndStatus_NonAdmin_NeverShowServerPaths()
    {
        var admin = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Key(AdminKey), cancellationToken: Ct);
        Assert.Contains(admin.Repositories, r => r.Source.StartsWith(fixture.Trees, StringComparison.Ordinal));

        var list = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), TeamA, cancellationToken: Ct);
        var status = await Client.StatusAsync(new V1.StatusRequest { Repository = Shop }, TeamA, cancellationToken: Ct);
        Assert.Equal(string.Empty, Assert.Single(list.Repositories).Source);
        Assert.Equal(string.Empty, status.Repository.Source);
        Assert.DoesNotContain(fixture.Trees, list.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Trees, status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_CallerWithBoth_SeesBillingAndRawScores()
    {
        var response = await Client.SearchAsync(new V1.SearchRequest { Query = "compute sales tax owed on an amount", TopK = 10 }, Both, cancellationToken: Ct);
        Assert.Contains(response.Hits, h => h.Repository == Billing);
        Assert.Contains(response.Hits, h => h.Scores.ContainsKey("dense") || h.Scores.ContainsKey("lexical"));
    }

    [Fact]
    public async Task Search_CallerWithoutBilling_NeverSeesItsCodeRelatedOrRawScores()
    {
        foreach (var mode in new[] { V1.SearchMode.HybridGraph, V1.SearchMode.Lexical, V1.SearchMode.Dense, V1.SearchMode.Hybrid })
        {
            var response = await Client.SearchAsync(new V1.SearchRequest { Query = "compute sales tax owed on an amount", TopK = 10, Mode = mode }, TeamA, cancellationToken: Ct);
            Assert.NotEmpty(response.Hits);
            Assert.All(response.Hits, h =>
            {
                Assert.Equal(Shop, h.Repository);
                Assert.DoesNotContain(BillingOnlyText, h.Text, StringComparison.Ordinal);
                Assert.All(h.Related, r => Assert.NotEqual(Billing, r.Repository));
                Assert.False(h.Scores.ContainsKey("dense") || h.Scores.ContainsKey("lexical"), "raw scores shown to a partial-access caller");
            });
        }

        var inline = await Client.SearchAsync(new V1.SearchRequest { Query = "repo:billing compute sales tax" }, TeamA, cancellationToken: Ct);
        Assert.Empty(inline.Hits);

        var request = new V1.SearchRequest { Query = "tax", Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add(Billing);
        var filtered = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(request, TeamA, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, filtered.StatusCode);
    }

    [Fact]
    public async Task GetContext_CallerWithoutBilling_PacksNoBillingCode()
    {
        var full = await Client.GetContextAsync(new V1.GetContextRequest { Query = "checkout total with sales tax", TokenBudget = 4_000 }, Both, cancellationToken: Ct);
        Assert.Contains(BillingOnlyText, full.Context, StringComparison.Ordinal);

        var partial = await Client.GetContextAsync(new V1.GetContextRequest { Query = "checkout total with sales tax", TokenBudget = 4_000 }, TeamA, cancellationToken: Ct);
        Assert.NotEmpty(partial.Hits);
        Assert.DoesNotContain(BillingOnlyText, partial.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("billing_core/tax.py", partial.Context, StringComparison.Ordinal);
        Assert.All(partial.Hits, h => Assert.Equal(Shop, h.Repository));
    }

    [Fact]
    public async Task GetSymbolNeighbors_CrossRepositoryCallee_OnlyForCallersWhoReadBoth()
    {
        var search = await Client.SearchAsync(new V1.SearchRequest { Query = "checkout_total", Mode = V1.SearchMode.Lexical }, Both, cancellationToken: Ct);
        var checkout = search.Hits.First(h => h.Repository == Shop && h.Symbol.EndsWith("checkout_total", StringComparison.Ordinal));
        var request = new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = Shop, Path = checkout.Path, Symbol = checkout.Symbol }, Depth = 3 };

        var full = await Client.GetSymbolNeighborsAsync(request, Both, cancellationToken: Ct);
        Assert.Contains(full.Neighbors, n => n.Relation == V1.Relation.Callee && n.Neighbor.Repository == Billing);

        var partial = await Client.GetSymbolNeighborsAsync(request, TeamA, cancellationToken: Ct);
        Assert.All(partial.Neighbors, n => Assert.NotEqual(Billing, n.Neighbor.Repository));

        var fromHidden = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSymbolNeighborsAsync(
            new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = Billing, Path = "billing_core/tax.py", Symbol = "compute_sales_tax" } }, TeamA, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, fromHidden.StatusCode);
    }
}
