using System.Text.Json;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class CommandTests(IndexedSampleRepository repo) : IClassFixture<IndexedSampleRepository>
{
    [Fact]
    public void Index_FreshRepository_PrintsSummaryWithCounts()
    {
        Assert.Contains("acme: synced", repo.IndexOutput, StringComparison.Ordinal);
        Assert.Contains("files: 8 indexed, 0 unchanged, 0 deleted, 0 failed", repo.IndexOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Unchanged_EmbedsNothing()
    {
        var (code, stdout, _) = await CgrProcess.RunAsync(repo.DataDirectory, "index", repo.Tree, "--name", "acme");

        Assert.Equal(0, code);
        Assert.Contains("files: 0 indexed, 8 unchanged", stdout, StringComparison.Ordinal);
        Assert.Contains("0 embedded", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dense", "reject a signed login credential whose lifetime has passed", "auth/jwt_validator.py")]
    [InlineData("hybrid+graph", "try an action again with exponentially growing waits", "util/RetryPolicy.java")]
    public async Task SearchJson_NaturalLanguageQuery_PrintsOneDocumentWithTargetFirst(string mode, string query, string expected)
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", query, "--json", "--mode", mode, "--top", "3", "--repo", "acme");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(query, root.GetProperty("query").GetString());
        Assert.Equal(mode, root.GetProperty("mode").GetString());
        var hits = root.GetProperty("hits");
        Assert.InRange(hits.GetArrayLength(), 1, 3);
        var first = hits[0];
        Assert.Equal(expected, first.GetProperty("path").GetString());
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        foreach (var name in new[] { "startLine", "endLine", "symbol", "kind", "language", "score", "scores", "snippet", "related" })
        {
            Assert.True(first.TryGetProperty(name, out _), $"hit lacks '{name}'");
        }
    }

    [Fact]
    public async Task SearchFiles_JsonAndText_RankFilesWithTheirClassAndBestChunks()
    {
        const string Query = "reject a signed login credential whose lifetime has passed";
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", Query, "--files", "--json", "--top", "3", "--repo", "acme");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.InRange(files.Count, 1, 3);
        Assert.Equal("auth/jwt_validator.py", files[0].GetProperty("path").GetString());
        Assert.Equal("code", files[0].GetProperty("class").GetString());
        Assert.Equal(files.Count, files.Select(f => f.GetProperty("path").GetString()).Distinct().Count());
        var chunks = files[0].GetProperty("chunks").EnumerateArray().ToList();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, c => Assert.Equal("auth/jwt_validator.py", c.GetProperty("path").GetString()));
        Assert.All(doc.RootElement.GetProperty("hits").EnumerateArray(), h => Assert.True(h.TryGetProperty("class", out _)));

        var (textCode, text, textErr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", Query, "--files", "--top", "1", "--repo", "acme");
        Assert.True(textCode == 0, textErr);
        Assert.StartsWith(" 1. acme/auth/jwt_validator.py  (code, score ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchJson_PastedTraceback_InnermostFramesFileFirstWithItsMention()
    {
        // The query as a shell passes a pasted traceback: one argument with line breaks, and an inline filter.
        const string Query = """
            repo:acme token check fails
            Traceback (most recent call last):
              File "/srv/acme/auth/keys.py", line 5, in load_signing_key
              File "/srv/acme/auth/jwt_validator.py", line 33, in _check_expiry
            ValueError: bad claims
            """;

        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", Query, "--json", "--top", "5");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var hits = doc.RootElement.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal("auth/jwt_validator.py", hits[0].GetProperty("path").GetString());
        Assert.Equal(1, hits[0].GetProperty("scores").GetProperty("mention").GetDouble());
        Assert.Contains(hits, h => h.GetProperty("path").GetString() == "auth/keys.py" && h.GetProperty("scores").GetProperty("mention").GetDouble() == 2);

        var (textCode, text, textErr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", Query, "--top", "1");
        Assert.True(textCode == 0, textErr);
        Assert.StartsWith(" 1. acme/auth/jwt_validator.py:", text, StringComparison.Ordinal);
        Assert.Contains(", file named in the query)", text.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchJson_HybridGraph_NestsRelatedCodeUnderItsHit()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", "invoice total rounding", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var total = doc.RootElement.GetProperty("hits").EnumerateArray().First(h => h.GetProperty("symbol").GetString() == "Acme.Billing.Invoice.Total");
        var relations = total.GetProperty("related").EnumerateArray().Select(r => r.GetProperty("relation").GetString()).ToList();
        Assert.Contains("callee", relations);
        Assert.Contains("parent", relations);
    }

    [Fact]
    public async Task SearchJson_NoHits_IsEmptyArrayAndExitZero()
    {
        var (code, stdout, _) = await CgrProcess.RunAsync(repo.DataDirectory, "search", "qqzzxxyy", "--json", "--mode", "lexical");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public async Task Search_UnknownRepository_IsOneLineErrorAndNonZeroExit()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", "anything", "--repo", "nope");

        Assert.NotEqual(0, code);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown repository 'nope'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_DataDirectoryNotWritable_OneLineNamingThePathNotALock()
    {
        // A path under a regular file can never be created; before, every I/O error at open read "locked by another writer".
        using var temp = new TempDirectory("cgr-cli-access");
        var blocker = Path.Combine(temp.Path, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);
        var data = Path.Combine(blocker, "data");

        var (code, stdout, stderr) = await CgrProcess.RunAsync(data, "index", repo.Tree, "--name", "elsewhere");

        Assert.Equal(1, code);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot write the data directory '{data}'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("locked", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_BadOption_IsUsageError()
    {
        var (code, _, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "search", "x", "--top", "zero");

        Assert.Equal(2, code);
        Assert.Contains("--top", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bench", "cgr bench [--corpus")]
    [InlineData("index", "cgr index <path>")]
    [InlineData("eval", "cgr eval --codesearchnet")]
    public async Task CommandHelp_PrintsThatCommandsUsage_AndRunsNothing(string command, string expected)
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, command, "--help");
        var shortForm = await CgrProcess.RunAsync(repo.DataDirectory, command, "-h");

        Assert.Equal(0, code);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Assert.Contains("Every command accepts --data-dir", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("cgr search \"<query>\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("parse+chunk", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("missing", stderr, StringComparison.Ordinal);
        Assert.Equal(0, shortForm.ExitCode);
        Assert.Equal(stdout, shortForm.Stdout);
    }

    [Fact]
    public async Task StatusAndRepos_ShowTheIndexedRepository()
    {
        var status = await CgrProcess.RunAsync(repo.DataDirectory, "status", "--repo", "acme");
        var repos = await CgrProcess.RunAsync(repo.DataDirectory, "repos");

        Assert.Equal(0, status.ExitCode);
        Assert.Matches(@"\nembedding: snowflake-arctic-embed-xs@[^ ]+/cls at fp32 on cpu\n", status.Stdout);
        Assert.Contains("files: 8 indexed, 0 skipped, 0 failed", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("python 2", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, repos.ExitCode);
        Assert.StartsWith("acme\t", repos.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCluster_Embedded_TheOneInProcessSiloWithEveryRole()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "status", "--cluster");

        Assert.True(code == 0, stderr);
        Assert.Contains("cluster: 1 live silo,", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  \S+@\d+ \S+ \(indexer,query,embedder; Active, started \d{4}-\d\d-\d\d [0-9:]+ UTC\): \d+ activations: ", stdout);
        Assert.DoesNotContain("acme  (", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_PacksHitsWithinTheBudget()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "context", "how are invoice totals computed", "--budget", "300");

        Assert.True(code == 0, stderr);
        Assert.Contains("billing/Invoice.cs", stdout, StringComparison.Ordinal);
        Assert.Contains("```", stdout, StringComparison.Ordinal);
        var report = stderr.Split('\n').Single(l => l.Contains("tokens", StringComparison.Ordinal));
        var used = int.Parse(report.Split(' ').Single(w => w.Contains("/300", StringComparison.Ordinal)).Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(used, 1, 300);
    }

    [Fact]
    public async Task Eval_JsonlQueries_ReportsMetricsPerMode()
    {
        var queries = Path.Combine(repo.DataDirectory, "..", "queries.jsonl");
        await File.WriteAllLinesAsync(queries,
        [
            """{"id":"q1","query":"reject a signed login credential whose lifetime has passed","gold":["auth/jwt_validator.py"]}""",
            """{"id":"q2","query":"sum line items and add value added tax","gold":[{"path":"billing/Invoice.cs","start":20,"end":35}]}""",
        ]);

        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "eval", "--queries", queries, "--repo", "acme", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("queries").GetInt32());
        var modes = doc.RootElement.GetProperty("modes");
        foreach (var mode in new[] { "lexical", "dense", "hybrid", "hybrid+graph" })
        {
            var m = modes.GetProperty(mode);
            Assert.InRange(m.GetProperty("mrr").GetDouble(), 0, 1);
            Assert.True(m.GetProperty("latency_ms").GetProperty("p95").GetDouble() > 0);
        }

        Assert.Equal(1.0, modes.GetProperty("hybrid+graph").GetProperty("hit@10").GetDouble());
        Assert.Equal(8, doc.RootElement.GetProperty("per_query").GetArrayLength());
    }

    [Fact]
    public async Task Eval_GzippedJsonlQueries_ReadAsThePlainFile()
    {
        var queries = Path.Combine(repo.DataDirectory, "..", "queries.jsonl.gz");
        await using (var gzip = new System.IO.Compression.GZipStream(File.Create(queries), System.IO.Compression.CompressionLevel.Optimal))
        await using (var writer = new StreamWriter(gzip))
        {
            await writer.WriteLineAsync("""{"id":"q1","query":"reject a signed login credential whose lifetime has passed","gold":["auth/jwt_validator.py"]}""");
        }

        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "eval", "--queries", queries, "--repo", "acme", "--mode", "hybrid", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal(1.0, doc.RootElement.GetProperty("modes").GetProperty("hybrid").GetProperty("hit@10").GetDouble());
    }

    [Fact]
    public async Task Eval_CodeSearchNetQueries_SearchOnlyTheirOwnLanguage()
    {
        var qrels = Path.Combine(repo.DataDirectory, "..", "qrels_mapped.csv");
        await File.WriteAllLinesAsync(qrels,
        [
            "language,query,github_url,corpus_path,start_line,end_line,in_corpus,n_judgements,relevance_mean,relevance_max",
            "Python,compute invoice totals,https://example.invalid/a,auth/jwt_validator.py,1,20,1,1,3.0,3",
        ]);

        var (code, stdout, stderr) = await CgrProcess.RunAsync(repo.DataDirectory, "eval", "--codesearchnet", qrels, "--repo", "acme", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var rankings = doc.RootElement.GetProperty("per_query").EnumerateArray().Select(q => q.GetProperty("ranking").EnumerateArray().Select(p => p.GetString()!).ToList()).ToList();
        Assert.Equal(4, rankings.Count);
        // Unfiltered, "invoice totals" ranks billing/Invoice.cs first; the Python query must not see C# at all.
        Assert.All(rankings, r => Assert.All(r, path => Assert.EndsWith(".py", path, StringComparison.Ordinal)));
        Assert.Contains(rankings, r => r.Count > 0);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
