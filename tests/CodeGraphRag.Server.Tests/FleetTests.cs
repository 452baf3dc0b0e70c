using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using static CodeGraphRag.Server.Tests.FleetServerFixture;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// The fleet of <see cref="FleetServerFixture"/>: 50 repositories with forks and ACL groups behind one server. Results
/// restricted to one repository equal those of a server holding only that repository, hidden repositories never show
/// through hits, related code, context or graph neighbours, and forks embed only their new chunks.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class FleetTests(FleetServerFixture fleet) : IClassFixture<FleetServerFixture>
{
    /// <summary>
    /// Hits asked of both servers in the oracle test: at least every chunk of one repository, and few enough that the
    /// fleet's candidate pools (60 per list) hold a small part of the fleet's matches, so a filter applied after taking
    /// the best candidates instead of before would lose the repository's chunks.
    /// </summary>
    private const int OracleTop = 12;

    private static readonly V1.SearchMode[] Modes = [V1.SearchMode.Lexical, V1.SearchMode.Dense, V1.SearchMode.Hybrid, V1.SearchMode.HybridGraph];

    private static readonly (string Name, string Key, string[] Groups)[] GroupCallers = [("one group", OneGroupKey, OneGroup), ("two groups", TwoGroupsKey, TwoGroups)];

    private V1.CodeGraphRag.CodeGraphRagClient Client => fleet.Server.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Admin => Key(AdminKey);

    /// <summary>
    /// The per-repository oracle: a second server that holds only the repository (registered under the same name, so
    /// chunk ids match), one sampled repository at a time (registered, synced, queried, removed). A repository filter in
    /// the fleet must give the same answer as that server: the filter is applied inside the stores and the graph, so
    /// the other 49 repositories may not push hits out, add neighbours or change ranks. What is compared, and why:
    /// <list type="bullet">
    /// <item>Dense: the exact ranked chunk ids (every chunk of the repository, top_k at least its size), scores equal to
    /// float precision; the same text embeds to the same vector and dense search is exact at this size.</item>
    /// <item>Lexical, the repository's marker token: the exact ranked chunk ids. BM25's IDF and average length are
    /// corpus-wide, so scores differ between the servers, but each matching chunk holds the token once (asserted), and
    /// for one term with the same frequency BM25 orders by the length of the indexed text alone whatever the corpus,
    /// ties by chunk id.</item>
    /// <item>Lexical, several common names: the same set of chunks (top_k at least the repository's size), not the order,
    /// which corpus-wide IDF weighs differently.</item>
    /// <item>Hybrid and hybrid+graph, the marker token: the exact ranked chunk ids and each hit's related code, since
    /// both fuse the two rankings above by rank and the graph stage resolves names within the filter.</item>
    /// </list>
    /// </summary>
    [Fact]
    public async Task Search_RepositoryFilter_EqualsAServerHoldingOnlyThatRepository()
    {
        await using var oracle = await TestServer.StartAsync();
        var sample = new[] { "base-00", "base-01", "base-02", "base-03", "base-04", "fork-00", "fork-01" };
        foreach (var name in sample)
        {
            var repository = fleet[name];
            var synced = await oracle.RegisterAndSyncAsync(name, fleet.Tree(name));
            Assert.Equal(V1.SyncPhase.Completed, synced[^1].Phase);
            var chunks = (await oracle.Client.StatusAsync(new V1.StatusRequest { Repository = name }, cancellationToken: Ct)).Chunks;
            Assert.InRange(chunks, 4, OracleTop);

            var dense = await BothAsync(oracle, name, "formats one value with a tag", V1.SearchMode.Dense);
            Assert.Equal(chunks, dense.Fleet.Hits.Count);
            Assert.Equal(Ids(dense.Oracle), Ids(dense.Fleet));
            Assert.All(dense.Fleet.Hits.Zip(dense.Oracle.Hits), p => Assert.Equal(p.Second.Scores["dense"], p.First.Scores["dense"], 5));

            foreach (var marker in new[] { repository.Marker, fleet[repository.Base ?? name].Marker }.Distinct())
            {
                var lexical = await BothAsync(oracle, name, marker, V1.SearchMode.Lexical);
                Assert.NotEmpty(lexical.Oracle.Hits);
                Assert.All(lexical.Oracle.Hits, h => Assert.Equal(1, Occurrences(h.Text, marker)));
                Assert.Equal(Ids(lexical.Oracle), Ids(lexical.Fleet));

                foreach (var mode in new[] { V1.SearchMode.Hybrid, V1.SearchMode.HybridGraph })
                {
                    var fused = await BothAsync(oracle, name, marker, mode);
                    Assert.Equal(Ids(fused.Oracle), Ids(fused.Fleet));
                    Assert.Equal(fused.Oracle.Hits.Select(Related), fused.Fleet.Hits.Select(Related));
                    Assert.Equal(mode == V1.SearchMode.HybridGraph, fused.Oracle.Hits.Any(h => h.Related.Count > 0));
                }
            }

            var common = await BothAsync(oracle, name, "helper main dispose resource", V1.SearchMode.Lexical);
            Assert.NotEmpty(common.Oracle.Hits);
            Assert.Equal(Ids(common.Oracle).Order(StringComparer.Ordinal), Ids(common.Fleet).Order(StringComparer.Ordinal));

            await oracle.Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = name }, cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Search_GroupCallers_HitsAndRelatedOnlyFromReadableRepositories()
    {
        var queries = new[] { "helper", "main entry point", "dispose the resource", "compute values", "describe items" };
        foreach (var (caller, key, groups) in GroupCallers)
        {
            var readable = fleet.ReadableBy(groups);
            foreach (var repository in fleet.Repositories)
            {
                // Lexical search for a marker finds exactly the readable repositories whose files hold it: none leak, none are lost.
                var holders = fleet.Holders(repository.Marker);
                var lexical = await SearchAsync(repository.Marker, V1.SearchMode.Lexical, key);
                Assert.True(
                    holders.Intersect(readable).ToHashSet().SetEquals(lexical.Hits.Select(h => h.Repository)),
                    $"{caller}: '{repository.Marker}' held by [{string.Join(", ", holders)}], found in [{string.Join(", ", lexical.Hits.Select(h => h.Repository).Distinct())}]");
                if (!holders.Overlaps(readable))
                {
                    Assert.Empty(lexical.Hits);
                    var fused = await SearchAsync(repository.Marker, V1.SearchMode.HybridGraph, key);
                    AssertReadable(fused, readable, caller);
                    Assert.All(fused.Hits, h => Assert.DoesNotContain(repository.Marker, h.Text, StringComparison.Ordinal));
                }
            }

            foreach (var query in queries)
            {
                foreach (var mode in Modes)
                {
                    AssertReadable(await SearchAsync(query, mode, key), readable, caller);
                }
            }

            // Naming a symbol or a file adds its definitions, callers and chunks to the ranking: a hidden repository's
            // names, and the compute functions hidden repositories call, must bring nothing of theirs.
            foreach (var repository in fleet.Repositories.Where(r => !r.IsFork))
            {
                foreach (var query in new[] { $"{repository.Compute} callers", $"what does {repository.Name[^2..]} {repository.ComputeFile} do" })
                {
                    AssertReadable(await SearchAsync(query, V1.SearchMode.HybridGraph, key, files: true), readable, caller);
                }
            }
        }

        // The admin reads everything: the same queries reach repositories of every group, so the assertions above could fail.
        var all = await SearchAsync("helper", V1.SearchMode.Lexical, AdminKey, top: 100);
        Assert.All(GroupCallers, c => Assert.Contains(all.Hits, h => !fleet.ReadableBy(c.Groups).Contains(h.Repository)));
        foreach (var callee in fleet.Repositories.Where(r => !r.IsFork))
        {
            var callers = await SearchAsync($"{callee.Compute} callers", V1.SearchMode.HybridGraph, AdminKey, files: true);
            Assert.Contains(callers.Hits, h => h.Repository == callee.Name);
            Assert.Contains(callers.Hits, h => fleet[h.Repository].Calls == callee.Name && !fleet[h.Repository].IsFork);
        }
    }

    [Fact]
    public async Task GetContext_GroupCallers_PackOnlyReadableCode()
    {
        foreach (var (caller, key, groups) in GroupCallers)
        {
            var readable = fleet.ReadableBy(groups);
            var hidden = fleet.Repositories.Where(r => !fleet.Holders(r.Marker).Overlaps(readable)).ToList();
            Assert.NotEmpty(hidden);
            foreach (var query in new[] { "helper formats one value", "main entry point calls compute", hidden[0].Marker })
            {
                var context = await Client.GetContextAsync(new V1.GetContextRequest { Query = query, TokenBudget = 8_000 }, Key(key), cancellationToken: Ct);
                Assert.NotEmpty(context.Hits);
                Assert.All(context.Hits, h => Assert.Contains(h.Repository, readable));
                Assert.All(hidden, r => Assert.DoesNotContain(r.Marker, context.Context, StringComparison.Ordinal));
                Assert.All(fleet.Repositories.Where(r => !readable.Contains(r.Name)), r => Assert.DoesNotContain(r.Name, context.Context, StringComparison.Ordinal));
            }
        }

        var full = await Client.GetContextAsync(new V1.GetContextRequest { Query = "main entry point calls compute", TokenBudget = 8_000 }, Admin, cancellationToken: Ct);
        Assert.Contains(full.Hits, h => !fleet.ReadableBy(OneGroup).Contains(h.Repository));
    }

    /// <summary>
    /// Each base's entry point calls another base's compute function, so a compute function has callers in other
    /// repositories. For every caller repository the group cannot read whose callee it can, the admin sees that caller
    /// and the group caller does not; and no neighbour of any readable symbol, to depth 3, is outside the readable set.
    /// </summary>
    [Fact]
    public async Task GetSymbolNeighbors_GroupCallers_NeverRevealHiddenCallersOrCallees()
    {
        var checkedHiddenCallers = 0;
        foreach (var (caller, key, groups) in GroupCallers)
        {
            var readable = fleet.ReadableBy(groups);
            foreach (var callee in fleet.Repositories.Where(r => readable.Contains(r.Name)))
            {
                var request = new V1.GetSymbolNeighborsRequest { Symbol = await ComputeSymbolAsync(callee), Depth = 3, MaxPerRelation = 50 };
                var partial = await Client.GetSymbolNeighborsAsync(request, Key(key), cancellationToken: Ct);
                Assert.All(partial.Neighbors, n => Assert.Contains(n.Neighbor.Repository, readable));

                var full = await Client.GetSymbolNeighborsAsync(request, Admin, cancellationToken: Ct);
                var callersInFleet = fleet.Repositories.Where(r => !r.IsFork && r.Calls == (callee.Base ?? callee.Name)).Select(r => r.Name).ToList();
                foreach (var hiddenCaller in callersInFleet.Where(r => !readable.Contains(r)))
                {
                    Assert.Contains(full.Neighbors, n => n.Relation == V1.Relation.Caller && n.Neighbor.Repository == hiddenCaller);
                    Assert.DoesNotContain(partial.Neighbors, n => n.Neighbor.Repository == hiddenCaller);
                    checkedHiddenCallers++;
                }

                foreach (var visibleCaller in callersInFleet.Where(readable.Contains))
                {
                    Assert.Contains(partial.Neighbors, n => n.Relation == V1.Relation.Caller && n.Neighbor.Repository == visibleCaller);
                }
            }

            // From each readable entry point: callees into other repositories only where they are readable.
            foreach (var repository in fleet.Repositories.Where(r => readable.Contains(r.Name)))
            {
                var entry = repository.Files.Keys.Single(p => Path.GetFileNameWithoutExtension(p) is "app" or "Program" or "main");
                var neighbors = await Client.GetSymbolNeighborsAsync(
                    new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = repository.Name, Path = entry }, Depth = 3 }, Key(key), cancellationToken: Ct);
                Assert.All(neighbors.Neighbors, n => Assert.Contains(n.Neighbor.Repository, readable));
            }
        }

        Assert.True(checkedHiddenCallers >= 4, $"only {checkedHiddenCallers} hidden callers checked");
    }

    [Fact]
    public async Task HiddenRepository_NamedExplicitly_AnswersLikeAMissingOne()
    {
        foreach (var (_, key, groups) in GroupCallers)
        {
            var headers = Key(key);
            var readable = fleet.ReadableBy(groups);
            foreach (var hidden in fleet.Repositories.Where(r => !readable.Contains(r.Name)))
            {
                await AssertLikeMissingAsync(hidden.Name, name => Client.StatusAsync(new V1.StatusRequest { Repository = name }, headers, cancellationToken: Ct).ResponseAsync);
                await AssertLikeMissingAsync(hidden.Name, name =>
                {
                    var request = new V1.SearchRequest { Query = hidden.Marker, Filters = new V1.SearchFilters() };
                    request.Filters.Repositories.Add(name);
                    return Client.SearchAsync(request, headers, cancellationToken: Ct).ResponseAsync;
                });
                await AssertLikeMissingAsync(hidden.Name, name =>
                {
                    var request = new V1.GetContextRequest { Query = hidden.Marker, Filters = new V1.SearchFilters() };
                    request.Filters.Repositories.Add(name);
                    return Client.GetContextAsync(request, headers, cancellationToken: Ct).ResponseAsync;
                });
                await AssertLikeMissingAsync(hidden.Name, name => Client.GetSymbolNeighborsAsync(
                    new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = name, Path = hidden.ComputeFile, Symbol = hidden.Compute } }, headers, cancellationToken: Ct).ResponseAsync);
                await AssertLikeMissingAsync(hidden.Name, name => Client.GetSymbolCodeAsync(
                    new V1.GetSymbolCodeRequest { Symbol = new V1.SymbolRef { Repository = name, Path = hidden.ComputeFile, Symbol = hidden.Compute } }, headers, cancellationToken: Ct).ResponseAsync);

                var inline = await SearchAsync($"repo:{hidden.Name} {hidden.Marker}", V1.SearchMode.HybridGraph, key);
                var missing = await SearchAsync($"repo:no-such {hidden.Marker}", V1.SearchMode.HybridGraph, key);
                Assert.Empty(inline.Hits);
                Assert.Empty(missing.Hits);
            }
        }
    }

    /// <summary>
    /// The embedding cache is keyed by the embedded text, which holds the chunk's path, symbol and code. The repositories
    /// were synced one at a time in fleet order, so each sync embeds exactly its chunks whose (path, symbol, text) no
    /// earlier repository wrote: for a fork, only chunks of its edited and added files (each has some) and none of its
    /// copied files; for a base, at least every chunk holding its marker (TypeScript bases share src/extra.ts's import
    /// line, which the first of them embeds for all). Chunks are listed through the API (a dense
    /// search over the repository alone ranks them all, checked against its status).
    /// </summary>
    [Fact]
    public async Task Sync_Forks_EmbedOnlyTheirNewChunks()
    {
        var seen = new HashSet<(string Path, string Symbol, string Text)>();
        foreach (var repository in fleet.Repositories)
        {
            var chunks = await AllChunksAsync(repository.Name);
            var fresh = chunks.Where(c => !seen.Contains(Identity(c))).ToList();
            var progress = fleet.Synced[repository.Name];
            Assert.Equal(chunks.Count, progress.ChunksWritten);
            Assert.Equal(fresh.Select(Identity).Distinct().Count(), progress.ChunksEmbedded);
            if (repository.IsFork)
            {
                Assert.All(fresh, c => Assert.Contains(c.Path, repository.Changed));
                Assert.All(repository.Changed, path => Assert.Contains(fresh, c => c.Path == path));
                Assert.InRange(progress.ChunksEmbedded, 2, progress.ChunksWritten - 1);
            }
            else
            {
                Assert.All(chunks.Where(c => c.Text.Contains(repository.Marker, StringComparison.Ordinal)), c => Assert.Contains(c, fresh));
            }

            seen.UnionWith(chunks.Select(Identity));
        }
    }

    [Fact]
    public async Task ListAndStatus_GroupCallers_OnlyTheirReadableRepositories()
    {
        foreach (var (caller, key, groups) in GroupCallers)
        {
            var readable = fleet.ReadableBy(groups);
            Assert.InRange(readable.Count, 5, fleet.Repositories.Count - 5);
            var list = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Key(key), cancellationToken: Ct);
            Assert.Equal(readable.Order(StringComparer.Ordinal), list.Repositories.Select(r => r.Name));
            Assert.All(list.Repositories, r => Assert.True(r.ReadGroups.Any(groups.Contains), $"{caller}: {r.Name}"));
            foreach (var name in readable)
            {
                var status = await Client.StatusAsync(new V1.StatusRequest { Repository = name }, Key(key), cancellationToken: Ct);
                Assert.Equal(fleet.Synced[name].ChunksWritten, status.Chunks);
            }
        }

        var admin = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Admin, cancellationToken: Ct);
        Assert.Equal(fleet.Repositories.Select(r => r.Name).Order(StringComparer.Ordinal), admin.Repositories.Select(r => r.Name));
    }

    private async Task<(V1.SearchResponse Fleet, V1.SearchResponse Oracle)> BothAsync(TestServer oracle, string repository, string query, V1.SearchMode mode)
    {
        var request = new V1.SearchRequest { Query = query, Mode = mode, TopK = OracleTop, RawQuery = true, Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add(repository);
        var inFleet = await Client.SearchAsync(request, Admin, cancellationToken: Ct);
        var alone = await oracle.Client.SearchAsync(request, cancellationToken: Ct);
        return (inFleet, alone);
    }

    private async Task<V1.SearchResponse> SearchAsync(string query, V1.SearchMode mode, string key, int top = 20, bool files = false) =>
        await Client.SearchAsync(new V1.SearchRequest { Query = query, Mode = mode, TopK = top, Files = files }, Key(key), cancellationToken: Ct);

    /// <summary>Every chunk of a repository: a dense search over it alone ranks them all (checked against its status).</summary>
    private async Task<List<V1.SearchHit>> AllChunksAsync(string repository)
    {
        var request = new V1.SearchRequest { Query = "code", Mode = V1.SearchMode.Dense, TopK = 100, Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add(repository);
        var hits = (await Client.SearchAsync(request, Admin, cancellationToken: Ct)).Hits.ToList();
        var status = await Client.StatusAsync(new V1.StatusRequest { Repository = repository }, Admin, cancellationToken: Ct);
        Assert.Equal(status.Chunks, hits.Count);
        return hits;
    }

    /// <summary>The symbol of a repository's compute function, as the index names it.</summary>
    private async Task<V1.SymbolRef> ComputeSymbolAsync(FleetRepository repository)
    {
        var request = new V1.SearchRequest { Query = repository.Compute, Mode = V1.SearchMode.Lexical, TopK = 20, RawQuery = true, Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add(repository.Name);
        var hits = (await Client.SearchAsync(request, Admin, cancellationToken: Ct)).Hits;
        var hit = hits.FirstOrDefault(h => h.Path == repository.ComputeFile && h.Symbol.EndsWith(repository.Compute, StringComparison.Ordinal))
            ?? throw new InvalidOperationException(repository.Name + ": " + string.Join("\n", hits.Select(h => $"{h.Path} {h.Symbol} {h.Kind} {h.StartLine}-{h.EndLine}")));
        return new V1.SymbolRef { Repository = repository.Name, Path = hit.Path, Symbol = hit.Symbol };
    }

    private static async Task AssertLikeMissingAsync(string hidden, Func<string, Task> call)
    {
        var whenHidden = await Assert.ThrowsAsync<RpcException>(() => call(hidden));
        var whenMissing = await Assert.ThrowsAsync<RpcException>(() => call("no-such-repository"));
        Assert.Equal(StatusCode.NotFound, whenHidden.StatusCode);
        Assert.Equal(whenMissing.StatusCode, whenHidden.StatusCode);
        Assert.Equal(whenMissing.Status.Detail.Replace("no-such-repository", hidden, StringComparison.Ordinal), whenHidden.Status.Detail);
    }

    private static void AssertReadable(V1.SearchResponse response, HashSet<string> readable, string caller)
    {
        Assert.All(response.Hits.Concat(response.Files.SelectMany(f => f.Chunks)), h =>
        {
            Assert.True(readable.Contains(h.Repository), $"{caller}: hit in {h.Repository}");
            Assert.All(h.Related, r => Assert.True(readable.Contains(r.Repository), $"{caller}: related code in {r.Repository}"));
        });
        Assert.All(response.Files, f => Assert.True(readable.Contains(f.Repository), $"{caller}: file hit in {f.Repository}"));
    }

    private static List<string> Ids(V1.SearchResponse response) => [.. response.Hits.Select(h => h.ChunkId)];

    private static string Related(V1.SearchHit hit) =>
        string.Join(" | ", hit.Related.Select(r => $"{r.Relation} {r.Repository}/{r.Path}#{r.Symbol}:{r.StartLine}-{r.EndLine}"));

    private static (string Path, string Symbol, string Text) Identity(V1.SearchHit hit) => (hit.Path, hit.Symbol, hit.Text);

    private static int Occurrences(string text, string token)
    {
        var count = 0;
        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + token.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
