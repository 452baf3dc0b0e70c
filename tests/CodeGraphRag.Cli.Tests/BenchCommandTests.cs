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
        string[] args = ["bench", "--corpus", corpus, "--embed", "0", "--skip-parse", "--queries", "3", "--doc-vectors", "synthetic", "--data-dir", data];

        var first = await CgrProcess.RunAsync(environmentDataDir, args);
        var second = await CgrProcess.RunAsync(environmentDataDir, args);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("document vectors: SYNTHETIC", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("cold index 'acme': 8 files indexed", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("query hybrid+graph", first.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"stages p50/p95 ms: embed [\d.]+/[\d.]+, dense [\d.]+/[\d.]+, lexical [\d.]+/[\d.]+, chunks", first.Stdout);
        Assert.Contains("ANN recall@10: not measured (synthetic", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("re-sync of the kept index 'acme': 0 files indexed, 8 unchanged", second.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(data));
        // Only an explicit --data-dir is used: CGR_DATA_DIR (a user's real index) is never written by the benchmark.
        Assert.False(Directory.Exists(environmentDataDir));
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
