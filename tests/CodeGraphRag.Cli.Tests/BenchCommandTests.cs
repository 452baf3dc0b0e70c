using System.Text.Json;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

/// <summary><c>cgr bench</c> with synthetic document vectors and a kept data directory.</summary>
[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-cli-bench");

    [Fact]
    public async Task Bench_SyntheticDocVectorsWithKeptDataDir_LabelledAndSecondRunReusesIndex()
    {
        var corpus = Path.Combine(_temp.Path, "acme");
        Fixtures.CopyTo("sample-repo", corpus);
        var data = Path.Combine(_temp.Path, "kept");
        var environmentDataDir = Path.Combine(_temp.Path, "env-data");
        string[] args = ["bench", "--corpus", corpus, "--embed", "0", "--skip-parse", "--queries", "3", "--doc-vectors", "synthetic", "--data-dir", data, "--multi-repo-chunks", "300"];

        var first = await CgrProcess.RunAsync(environmentDataDir, args);
        var second = await CgrProcess.RunAsync(environmentDataDir, args);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("document vectors: SYNTHETIC", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("cold index 'acme': 8 files indexed", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("query hybrid+graph", first.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"stages p50/p95 ms: embed [\d.]+/[\d.]+, dense [\d.]+/[\d.]+, lexical [\d.]+/[\d.]+, chunks", first.Stdout);
        Assert.Contains("ANN recall@10: not measured (synthetic", first.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"multi-repo dense default +one_large_repo \(repo-a: 144 chunks\) p50 [\d.]+ ms, p95 [\d.]+ ms over 3 queries \(first [\d.]+ ms\), recall@10 vs exact 1\.0000", first.Stdout);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("re-sync of the kept index 'acme': 0 files indexed, 8 unchanged", second.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(data));
        // Only an explicit --data-dir is used: CGR_DATA_DIR (a user's real index) is never written by the benchmark.
        Assert.False(Directory.Exists(environmentDataDir));
    }

    [Fact]
    public async Task Bench_Json_StdoutIsOneObjectWithMultiRepoScopesPerStrategy()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(
            Path.Combine(_temp.Path, "data"), "bench", "--corpus", _temp.Path, "--embed", "0", "--skip-parse", "--skip-index", "--queries", "2", "--multi-repo-chunks", "200", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var multiRepo = json.RootElement.GetProperty("multi_repo");
        Assert.Equal(200, multiRepo.GetProperty("chunks").GetInt32());
        foreach (var strategy in new[] { "default", "exact_in_memory", "ann_filtered" })
        {
            var acl = multiRepo.GetProperty(strategy).GetProperty("acl_list");
            Assert.Equal(["repo-b", "repo-d", "repo-f"], acl.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(2, acl.GetProperty("queries").GetInt32());
            Assert.Equal(1.0, acl.GetProperty("recall_at_10").GetDouble());
        }

        Assert.Contains("multi-repo dense ann_filtered", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_UnknownDocVectors_OneLineUsageError()
    {
        var (code, stdout, stderr) = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "data"), "bench", "--corpus", _temp.Path, "--doc-vectors", "fake");

        Assert.NotEqual(0, code);
        Assert.Empty(stdout);
        Assert.Contains("--doc-vectors must be 'real' or 'synthetic' (got 'fake')", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
