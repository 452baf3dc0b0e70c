using System.Text.Json;
using CodeGraphRag.TestInfrastructure;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Tests;

/// <summary><c>cgr eval</c>, <c>cgr bench</c> and <c>cgr export-feedback</c> with <c>--server</c>, against a real server.</summary>
[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class RemoteCommandTests(RemoteServerFixture server) : IClassFixture<RemoteServerFixture>
{
    private static readonly string[] Modes = ["lexical", "dense", "hybrid", "hybrid+graph"];

    [Fact]
    public async Task Eval_ServerJsonlQueries_SameRankingsAsLocalEvalOfTheSameIndex()
    {
        var queries = Path.Combine(server.Scratch, "queries.jsonl");
        await File.WriteAllLinesAsync(queries,
        [
            """{"id":"q1","query":"reject a signed login credential whose lifetime has passed","gold":["auth/jwt_validator.py"]}""",
            """{"id":"q2","query":"sum line items and add value added tax","gold":[{"path":"billing/Invoice.cs","start":20,"end":35}]}""",
        ], TestContext.Current.CancellationToken);

        var remote = await server.CgrAsync(RemoteServerFixture.ReaderKey, "eval", "--queries", queries, "--repo", RemoteServerFixture.Repository, "--json");
        // The same index read in-process (the embedded eval opens the server's data directory read-only).
        var local = await CgrProcess.RunAsync(server.ServerDataDirectory, "eval", "--queries", queries, "--repo", RemoteServerFixture.Repository, "--json");

        Assert.True(remote.ExitCode == 0, remote.Stderr);
        Assert.True(local.ExitCode == 0, local.Stderr);
        using var r = JsonDocument.Parse(remote.Stdout);
        using var l = JsonDocument.Parse(local.Stdout);
        Assert.Equal(2, r.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.RootElement.GetProperty("gold_never_indexed").ValueKind);
        Assert.StartsWith("client round trip to http://127.0.0.1:", r.RootElement.GetProperty("latency_measured").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, l.RootElement.GetProperty("gold_never_indexed").GetInt32());
        foreach (var mode in Modes)
        {
            var rm = r.RootElement.GetProperty("modes").GetProperty(mode);
            var lm = l.RootElement.GetProperty("modes").GetProperty(mode);
            foreach (var metric in new[] { "hit@1", "hit@10", "mrr", "ndcg@10" })
            {
                Assert.Equal(lm.GetProperty(metric).GetDouble(), rm.GetProperty(metric).GetDouble(), 9);
            }

            Assert.True(rm.GetProperty("latency_ms").GetProperty("p50").GetDouble() > 0);
        }

        Assert.Equal(1.0, r.RootElement.GetProperty("modes").GetProperty("hybrid+graph").GetProperty("hit@10").GetDouble());
        Assert.Equal(Rankings(l.RootElement), Rankings(r.RootElement));
    }

    [Fact]
    public async Task Eval_ServerSweBench_SyncsEachBaseCommitThroughTheApi()
    {
        var checkout = Path.Combine(server.Scratch, "swe-checkout");
        Directory.CreateDirectory(checkout);
        GitCommand.Run(checkout, "init", "-q");
        await File.WriteAllTextAsync(Path.Combine(checkout, "billing.py"),
            "def invoice_total(lines):\n    \"\"\"Sums the invoice lines.\"\"\"\n    return sum(line.amount for line in lines)\n", TestContext.Current.CancellationToken);
        GitCommand.Run(checkout, "add", "-A");
        GitCommand.Run(checkout, "commit", "-q", "-m", "billing");
        var first = GitCommand.Run(checkout, "rev-parse", "HEAD").Trim();
        await File.WriteAllTextAsync(Path.Combine(checkout, "shipping.py"),
            "def parcel_shipping_cost(weight_kg):\n    \"\"\"Shipping cost of a parcel by weight.\"\"\"\n    return 4.5 + 1.2 * weight_kg\n", TestContext.Current.CancellationToken);
        GitCommand.Run(checkout, "add", "-A");
        GitCommand.Run(checkout, "commit", "-q", "-m", "shipping");
        var second = GitCommand.Run(checkout, "rev-parse", "HEAD").Trim();
        var swe = Path.Combine(server.Scratch, "swe");
        Directory.CreateDirectory(swe);
        await File.WriteAllLinesAsync(Path.Combine(swe, "gold_files_lite.jsonl"),
        [
            $$"""{"instance_id":"o__p-1","repo":"o/p","base_commit":"{{first}}","gold_files":["billing.py"]}""",
            $$"""{"instance_id":"o__p-2","repo":"o/p","base_commit":"{{second}}","gold_files":["shipping.py"]}""",
        ], TestContext.Current.CancellationToken);
        // The first issue text is longer than the server's 2,000-character query limit: the client cuts it.
        var longText = "The invoice total ignores some lines. " + string.Concat(Enumerable.Repeat("More details follow here. ", 100));
        await File.WriteAllLinesAsync(Path.Combine(swe, "swebench_lite.jsonl"),
        [
            JsonSerializer.Serialize(new Dictionary<string, string> { ["instance_id"] = "o__p-1", ["problem_statement"] = longText }),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["instance_id"] = "o__p-2", ["problem_statement"] = "parcel shipping cost is too high for heavy parcels" }),
        ], TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await server.CgrAsync(RemoteServerFixture.AdminKey,
            "eval", "--swebench", swe, "--project", "o/p", "--checkout", checkout, "--repo", "swe", "--mode", "lexical", "--json");

        Assert.True(code == 0, stderr);
        Assert.Contains($"swe at {first[..10]}: 1 files indexed", stderr, StringComparison.Ordinal);
        Assert.Contains($"swe at {second[..10]}: 1 files indexed", stderr, StringComparison.Ordinal);
        Assert.Contains("cut to that length (first: o__p-1)", stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(stdout);
        var perQuery = doc.RootElement.GetProperty("per_query").EnumerateArray().ToDictionary(q => q.GetProperty("id").GetString()!);
        // At the first commit shipping.py does not exist yet; at the second it ranks for its issue.
        Assert.DoesNotContain("shipping.py", perQuery["o__p-1"].GetProperty("ranking").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1, perQuery["o__p-2"].GetProperty("gold_ranks")[0].GetProperty("rank").GetInt32());
        Assert.Equal(1, perQuery["o__p-1"].GetProperty("gold_ranks")[0].GetProperty("rank").GetInt32());
        // Each query carries its own metrics: one gold file at rank 1 is a perfect nDCG@10, MRR and recall@10.
        foreach (var metric in new[] { "ndcg@10", "mrr", "recall@10" })
        {
            Assert.Equal(1.0, perQuery["o__p-2"].GetProperty(metric).GetDouble());
        }
    }

    [Fact]
    public async Task Eval_ServerSweBenchCheckoutOnlyOnTheClient_SaysTheServerCannotReadIt()
    {
        var swe = Path.Combine(server.Scratch, "swe-missing");
        Directory.CreateDirectory(swe);
        await File.WriteAllTextAsync(Path.Combine(swe, "gold_files_lite.jsonl"),
            """{"instance_id":"o__p-1","repo":"o/p","base_commit":"0123456789abcdef0123456789abcdef01234567","gold_files":["a.py"]}""" + "\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(swe, "swebench_lite.jsonl"),
            """{"instance_id":"o__p-1","problem_statement":"something breaks"}""" + "\n", TestContext.Current.CancellationToken);

        var (code, _, stderr) = await server.CgrAsync(RemoteServerFixture.AdminKey,
            "eval", "--swebench", swe, "--project", "o/p", "--checkout", Path.Combine(server.Scratch, "not-there"), "--repo", "gone");

        Assert.Equal(2, code);
        Assert.Contains("does not exist on the server", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ServerRepo_ReportsClientAndServerLatencyPerMode()
    {
        var (code, stdout, stderr) = await server.CgrAsync(RemoteServerFixture.ReaderKey, "bench", "--repo", RemoteServerFixture.Repository, "--queries", "3");

        Assert.True(code == 0, stderr);
        foreach (var mode in new[] { "lexical", "dense", "hybrid+graph" })
        {
            var line = stdout.Split('\n').Single(l => l.StartsWith("query " + mode + " ", StringComparison.Ordinal));
            Assert.Contains("over 3 queries (server: p50 ", line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("cold index", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ServerCorpus_TimesColdAndUnchangedSyncThenRemovesItsRepository()
    {
        var (code, stdout, stderr) = await server.CgrAsync(RemoteServerFixture.AdminKey, "bench", "--corpus", server.Tree, "--queries", "2");

        Assert.True(code == 0, stderr);
        var cold = stdout.Split('\n').Single(l => l.StartsWith("cold index: ", StringComparison.Ordinal));
        Assert.True(int.Parse(cold.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) > 0, cold);
        Assert.Contains("0 embedded)", stdout.Split('\n').Single(l => l.StartsWith("warm re-sync, nothing changed: ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("over 2 queries", stdout, StringComparison.Ordinal);
        var repos = await server.Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), RemoteServerFixture.Admin, cancellationToken: TestContext.Current.CancellationToken);
        Assert.DoesNotContain(repos.Repositories, r => r.Name.StartsWith("cgr-bench-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_ServerWithLocalOnlyOption_OneLineErrorNamingWhatNeedsLocalData()
    {
        var (code, stdout, stderr) = await server.CgrAsync(RemoteServerFixture.ReaderKey, "bench", "--repo", RemoteServerFixture.Repository, "--embed", "16");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("embedding throughput", stderr, StringComparison.Ordinal);
        Assert.Contains("without --server", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCluster_Server_AdminSeesTheSiloAndItsRepositoryGrain_ReaderIsRefused()
    {
        var admin = await server.CgrAsync(RemoteServerFixture.AdminKey, "status", "--cluster");
        var reader = await server.CgrAsync(RemoteServerFixture.ReaderKey, "status", "--cluster");

        Assert.True(admin.ExitCode == 0, admin.Stderr);
        Assert.Contains("cluster: 1 live silo,", admin.Stdout, StringComparison.Ordinal);
        // The fixture synced 'acme' through its repository grain and the file grains.
        Assert.Matches(@"\(indexer,query,embedder; Active, started [^)]+\): \d+ activations: .*RepositoryGrain [1-9]", admin.Stdout);
        Assert.Equal(1, reader.ExitCode);
        Assert.Contains("the cluster's status needs the admin group", reader.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportFeedback_Server_AdminGetsTriplesWithTexts_ReaderIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var search = new V1.SearchRequest { Query = "invoice total tax", TopK = 5, Mode = V1.SearchMode.Lexical, Filters = new V1.SearchFilters() };
        search.Filters.Repositories.Add(RemoteServerFixture.Repository);
        var response = await server.Client.SearchAsync(search, RemoteServerFixture.Admin, cancellationToken: ct);
        Assert.True(response.Hits.Count >= 2);
        var positive = response.Hits[1].ChunkId;
        await server.Client.FeedbackAsync(new V1.FeedbackRequest { QueryId = response.QueryId, ResultId = positive, Vote = V1.Vote.Up }, RemoteServerFixture.Admin, cancellationToken: ct);

        var admin = await server.CgrAsync(RemoteServerFixture.AdminKey, "export-feedback", "--texts");
        var reader = await server.CgrAsync(RemoteServerFixture.ReaderKey, "export-feedback");

        Assert.True(admin.ExitCode == 0, admin.Stderr);
        var triples = admin.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        var mine = triples.Where(t => t.RootElement.GetProperty("queryId").GetString() == response.QueryId).ToList();
        Assert.NotEmpty(mine);
        Assert.All(mine, t =>
        {
            Assert.Equal(positive, t.RootElement.GetProperty("positiveId").GetString());
            Assert.Equal(response.Hits[1].Text, t.RootElement.GetProperty("positiveText").GetString());
        });
        // The hit ranked above the positive is its first hard negative.
        Assert.Equal(response.Hits[0].ChunkId, mine[0].RootElement.GetProperty("negativeId").GetString());
        Assert.Contains($"cgr: {triples.Count} triples", admin.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, reader.ExitCode);
        Assert.Contains("not allowed: exporting feedback needs the admin group", reader.Stderr, StringComparison.Ordinal);
        triples.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task IndexCancel_Server_StopsTheRunningSyncAndIndexResumesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(server.Scratch, "big"), files: 120);
        await server.Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { Name = "big", LocalPath = tree }, RemoteServerFixture.Admin, cancellationToken: ct);
        using (var follow = server.Client.Sync(new V1.SyncRequest { Repository = "big" }, RemoteServerFixture.Admin, cancellationToken: ct))
        {
            while (await follow.ResponseStream.MoveNext(ct) && follow.ResponseStream.Current.FilesProcessed == 0)
            {
            }
        }

        var cancel = await server.CgrAsync(RemoteServerFixture.AdminKey, "index", "big", "--cancel");
        var again = await server.CgrAsync(RemoteServerFixture.AdminKey, "index", "big", "--cancel");
        var resume = await server.CgrAsync(RemoteServerFixture.AdminKey, "index", tree, "--name", "big", "--plain");

        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Matches(@"^cancelled the sync of big after \d+ of 120 files; 'cgr index' resumes it", cancel.Stdout);
        Assert.StartsWith("no sync of big was running (last: cancelled)", again.Stdout, StringComparison.Ordinal);
        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        var status = await server.Client.StatusAsync(new V1.StatusRequest { Repository = "big" }, RemoteServerFixture.Admin, cancellationToken: ct);
        Assert.Equal(120, status.FilesByStatus.GetValueOrDefault("indexed"));
    }

    private static List<string> Rankings(JsonElement root) =>
        [.. root.GetProperty("per_query").EnumerateArray().Select(q =>
            q.GetProperty("id").GetString() + "/" + q.GetProperty("mode").GetString() + ": " + string.Join(",", q.GetProperty("ranking").EnumerateArray().Select(p => p.GetString())))];
}
