using System.Diagnostics;
using CodeGraphRag.Api.V1;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestSupport;
using Grpc.Core;

namespace CodeGraphRag.EndToEnd.Tests;

/// <summary>
/// Three real silo processes on loopback (2 indexer+query, 1 embedder) on a real Redis, driven through the gRPC API with the
/// generated client and through <c>cgr --server</c>; faults are real SIGKILLs.
/// </summary>
[Trait("Category", TestCategories.EndToEnd)]
public sealed class ClusterTests : IDisposable
{
    private const string Repo = "acme";
    private readonly TempDirectory _temp = new("cgr-e2e");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeSilos_IndexThroughOneSilo_SecondClientSearchesAnotherAndForkEmbedsNothing()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var fork = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "fork"));
        await using var cluster = await LocalCluster.StartRedisAsync(Path.Combine(_temp.Path, "data"), Ct);
        var a = await cluster.StartSiloAsync("a", "indexer,query");
        var b = await cluster.StartSiloAsync("b", "indexer,query");
        await cluster.StartSiloAsync("e", "embedder");
        var indexer = cluster.ClientFor(a);
        var searcher = cluster.ClientFor(b);

        await indexer.RegisterRepositoryAsync(new RegisterRepositoryRequest { Name = Repo, LocalPath = tree }, cancellationToken: Ct);
        var done = (await LocalCluster.SyncAsync(indexer, Repo, cancellationToken: Ct))[^1];
        Assert.True(done.Phase == SyncPhase.Completed, $"{done.Phase} {done.Error}\n{cluster.Logs}");
        Assert.True(done.ChunksEmbedded > 0);

        var hits = await searcher.SearchAsync(new SearchRequest { Query = "invoice total rounding", TopK = 5 }, cancellationToken: Ct);
        Assert.Contains(hits.Hits, h => h.Path == "billing/Invoice.cs" && h.Repository == Repo);
        var liked = hits.Hits.First(h => h.Path == "billing/Invoice.cs");
        await searcher.FeedbackAsync(new FeedbackRequest { QueryId = hits.QueryId, ResultId = liked.ChunkId, Vote = Vote.Up }, cancellationToken: Ct);
        var triples = await RunCgrAsync("export-feedback", "--texts", "--data-dir", cluster.DataDirectory);
        Assert.True(triples.ExitCode == 0, triples.Stderr);
        Assert.Contains("invoice total rounding", triples.Stdout, StringComparison.Ordinal);
        Assert.Contains(liked.ChunkId, triples.Stdout, StringComparison.Ordinal);

        await searcher.RegisterRepositoryAsync(new RegisterRepositoryRequest { Name = "acme-fork", LocalPath = fork }, cancellationToken: Ct);
        var forked = (await LocalCluster.SyncAsync(searcher, "acme-fork", cancellationToken: Ct))[^1];
        Assert.Equal(SyncPhase.Completed, forked.Phase);
        Assert.Equal(done.FilesIndexed, forked.FilesIndexed);
        Assert.Equal(0, forked.ChunksEmbedded);

        var cli = await RunCgrAsync("search", "invoice total rounding", "--server", b.GrpcAddress.ToString(), "--repo", Repo, "--json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("\"path\": \"billing/Invoice.cs\"", cli.Stdout, StringComparison.Ordinal);
        var repos = await RunCgrAsync("repos", "--server", a.GrpcAddress.ToString());
        Assert.Contains("acme-fork", repos.Stdout, StringComparison.Ordinal);

        // Where the grains live: the embedder silo holds the embedding grain and no indexing grains; the two
        // indexer+query silos hold the repository grains (acme, acme-fork) and the search grain between them.
        var silos = (await searcher.ClusterStatusAsync(new ClusterStatusRequest(), cancellationToken: Ct)).Silos;
        Assert.Equal(3, silos.Count);
        Assert.All(silos, s => Assert.Equal("Active", s.Status));
        var embedder = Assert.Single(silos, s => s.Roles.SequenceEqual(["embedder"]));
        var indexers = silos.Where(s => s.Roles.SequenceEqual(["indexer", "query"])).ToList();
        Assert.Equal(2, indexers.Count);
        Assert.True(embedder.Activations.GetValueOrDefault("EmbeddingGrain") >= 1, string.Join(", ", embedder.Activations));
        Assert.DoesNotContain(embedder.Activations.Keys, k => k is "RepositoryGrain" or "FileGrain" or "SearchGrain");
        Assert.All(indexers, s => Assert.DoesNotContain("EmbeddingGrain", s.Activations.Keys));
        Assert.True(indexers.Sum(s => s.Activations.GetValueOrDefault("RepositoryGrain")) >= 2, string.Join(" | ", indexers.Select(s => s.Activations.ToString())));
        Assert.True(indexers.Sum(s => s.Activations.GetValueOrDefault("SearchGrain")) >= 1);
        var silosCli = await RunCgrAsync("status", "--cluster", "--server", a.GrpcAddress.ToString());
        Assert.True(silosCli.ExitCode == 0, silosCli.Stderr);
        Assert.Contains("cluster: 3 live silos", silosCli.Stdout, StringComparison.Ordinal);
        Assert.Contains("(embedder; Active", silosCli.Stdout, StringComparison.Ordinal);
        var clientOnly = await RunCgrAsync("index", Path.Combine(_temp.Path, "only-on-a-laptop"), "--server", a.GrpcAddress.ToString());
        Assert.NotEqual(0, clientOnly.ExitCode);
        Assert.Contains("only-on-a-laptop", clientOnly.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public async Task KillIndexerSiloMidSync_SyncCompletesAndEqualsCleanIndex(int filesBeforeKill)
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "tree"), files: 40);
        var expected = await CleanIndexAsync(tree);
        await using var cluster = await LocalCluster.StartRedisAsync(Path.Combine(_temp.Path, "data"), Ct);
        var victim = await cluster.StartSiloAsync("a", "indexer,query");
        var survivor = await cluster.StartSiloAsync("b", "indexer,query");
        await cluster.StartSiloAsync("e", "embedder");
        var client = cluster.ClientFor(survivor);
        await client.RegisterRepositoryAsync(new RegisterRepositoryRequest { Name = Repo, LocalPath = tree }, cancellationToken: Ct);

        var killed = false;
        var updates = await LocalCluster.SyncAsync(client, Repo, async p =>
        {
            if (!killed && p.FilesProcessed >= filesBeforeKill)
            {
                // The victim was serving the cluster up to this point and dies by SIGKILL (128 + 9), not by exiting.
                Assert.False(victim.HasExited, "the victim silo had exited before the kill point:\n" + cluster.Logs);
                killed = true;
                await victim.KillAsync();
                Assert.Equal(137, victim.ExitCode);
            }
        }, Ct);

        Assert.True(killed, "the sync finished before the kill point");
        // Work went on after the kill: more files, or (files being written before their vectors) the survivor's sync
        // embedding what the victim had written but not embedded.
        Assert.True(
            updates[^1].FilesProcessed > filesBeforeKill || updates[^1].ChunksEmbedded > 0,
            $"the sync ended at {updates[^1].FilesProcessed} files and {updates[^1].ChunksEmbedded} chunks embedded, so nothing ran after the kill");
        Assert.True(updates[^1].Phase == SyncPhase.Completed, $"{updates[^1].Phase} {updates[^1].Error}\n{cluster.Logs}");
        Assert.Equal(expected, await IndexExport.ExportAsync(cluster.DataDirectory, Repo));
    }

    [Fact]
    public async Task KillEmbedderMidSync_WaitsThenUnavailable_ThenNextSyncCompletesWithNothingLost()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "tree"), files: 40);
        var expected = await CleanIndexAsync(tree);
        await using var cluster = await LocalCluster.StartRedisAsync(Path.Combine(_temp.Path, "data"), Ct);
        cluster.Settings["CodeGraphRag__Indexing__EmbedderWaitTimeout"] = "00:00:08";
        cluster.Settings["CodeGraphRag__Indexing__EmbedderProbeInterval"] = "00:00:00.500";
        var indexer = await cluster.StartSiloAsync("a", "indexer,query");
        var embedder = await cluster.StartSiloAsync("e", "embedder");
        var client = cluster.ClientFor(indexer);
        await client.RegisterRepositoryAsync(new RegisterRepositoryRequest { Name = Repo, LocalPath = tree }, cancellationToken: Ct);

        var phases = new List<SyncPhase>();
        var error = await Assert.ThrowsAsync<RpcException>(() => LocalCluster.SyncAsync(client, Repo, async p =>
        {
            phases.Add(p.Phase);
            if (p.FilesProcessed >= 3 && !embedder.HasExited)
            {
                await embedder.KillAsync();
            }
        }, Ct));

        Assert.True(error.StatusCode == StatusCode.Unavailable, $"{error.Status}\n{cluster.Logs}");
        Assert.Contains(SyncPhase.WaitingForEmbedder, phases);
        var status = await client.StatusAsync(new StatusRequest { Repository = Repo }, cancellationToken: Ct);
        Assert.Null(status.Repository.LastSyncCompleted);

        await cluster.StartSiloAsync("e2", "embedder");
        var resumed = (await LocalCluster.SyncAsync(client, Repo, cancellationToken: Ct))[^1];
        Assert.True(resumed.Phase == SyncPhase.Completed, $"{resumed.Phase} {resumed.Error}\n{cluster.Logs}");
        Assert.Equal(expected, await IndexExport.ExportAsync(cluster.DataDirectory, Repo));
    }

    [Fact]
    public async Task EmbedderSiloWithAnotherModel_SyncAndDenseSearchRefusedNamingBothModels_LexicalStillAnswers()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        await using var cluster = await LocalCluster.StartRedisAsync(Path.Combine(_temp.Path, "data"), Ct);
        var indexer = await cluster.StartSiloAsync("a", "indexer,query");
        // A window other than the indexer's own gives the embedder silo another model id, as another precision would.
        cluster.Settings["CodeGraphRag__Embedding__MaxTokens"] = "256";
        await cluster.StartSiloAsync("e", "embedder");
        var client = cluster.ClientFor(indexer);
        await client.RegisterRepositoryAsync(new RegisterRepositoryRequest { Name = Repo, LocalPath = tree }, cancellationToken: Ct);

        var sync = await Assert.ThrowsAsync<RpcException>(() => LocalCluster.SyncAsync(client, Repo, cancellationToken: Ct));
        Assert.True(sync.StatusCode == StatusCode.FailedPrecondition, $"{sync.Status}\n{cluster.Logs}");
        Assert.Contains("embedding model mismatch", sync.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("snowflake-arctic-embed-xs@", sync.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("/cls/max256'", sync.Status.Detail, StringComparison.Ordinal);
        var status = await client.StatusAsync(new StatusRequest { Repository = Repo }, cancellationToken: Ct);
        Assert.Equal(0, status.Chunks);

        var dense = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SearchAsync(new SearchRequest { Query = "invoice total rounding", Mode = SearchMode.Dense }, cancellationToken: Ct));
        Assert.True(dense.StatusCode == StatusCode.FailedPrecondition, $"{dense.Status}\n{cluster.Logs}");
        Assert.Contains("/cls/max256'", dense.Status.Detail, StringComparison.Ordinal);
        var lexical = await client.SearchAsync(new SearchRequest { Query = "invoice total rounding", Mode = SearchMode.Lexical }, cancellationToken: Ct);
        Assert.Empty(lexical.Hits);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The logical content of a clean embedded index of <paramref name="tree"/> (the reference for every fault test).</summary>
    private async Task<string> CleanIndexAsync(string tree)
    {
        var data = Path.Combine(_temp.Path, "clean");
        var result = await RunCgrAsync("index", tree, "--name", Repo, "--plain", "--data-dir", data);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return await IndexExport.ExportAsync(data, Repo);
    }


    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCgrAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // One process per call: no background server outlives the test (the daemon has tests of its own).
        info.Environment["CGR_DAEMON"] = "off";
        info.ArgumentList.Add(ServerProcess.CgrDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
