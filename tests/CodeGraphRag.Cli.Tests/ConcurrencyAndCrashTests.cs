using System.Globalization;
using System.Text;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestSupport;

namespace CodeGraphRag.Cli.Tests;

[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class ConcurrencyAndCrashTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-cli-crash");

    [Fact]
    public async Task Index_KilledMidRunWhileOthersReadAndWrite_RerunEqualsCleanIndex()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "big"), files: 240);
        var data = Path.Combine(_temp.Path, "data");
        // The victim embeds slowly (one thread, small batches), so it is still running when the refused writer is done:
        // with its files written before their vectors, a default-speed run of these files finished once before the kill.
        var slow = new Dictionary<string, string>
        {
            ["CodeGraphRag__Embedding__IntraOpThreads"] = "1",
            ["CodeGraphRag__Embedding__BatchSize"] = "2",
        };

        using (var first = CgrProcess.Start(data, slow, "index", tree, "--name", "big", "--plain"))
        {
            await first.FirstProgress.WaitAsync(TimeSpan.FromMinutes(3));

            // The other writer and the reader start side by side. The victim dies as soon as the writer has been refused
            // (waiting for the reader too once let a loaded CI machine finish the victim first); the reader may still be
            // reading when the writer dies under it, and must answer all the same.
            var secondRun = CgrProcess.RunAsync(data, "index", tree, "--name", "big");
            var searchRun = CgrProcess.RunAsync(data, "search", "function", "--mode", "lexical", "--json");
            var second = await secondRun;
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("locked", second.Stderr, StringComparison.OrdinalIgnoreCase);

            // The victim is still indexing when it dies, and it dies by SIGKILL (exit status 128 + 9), not by finishing.
            Assert.False(first.HasExited, "the first index finished before the kill, so nothing was killed mid-run: " + first.Stdout);
            first.Kill();
            Assert.Equal(137, await first.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain("files:", first.Stdout, StringComparison.Ordinal);

            var search = await searchRun;
            Assert.True(search.ExitCode == 0, search.Stderr);
        }

        var rerun = await CgrProcess.RunAsync(data, "index", tree, "--name", "big");
        Assert.True(rerun.ExitCode == 0, rerun.Stdout + rerun.Stderr);
        // The victim held part of the sync: the rerun finds some files already done and finishes the rest (files the
        // victim never wrote, or the vectors of chunks it wrote before they were embedded).
        var summary = System.Text.RegularExpressions.Regex.Match(rerun.Stdout, @"files: (\d+) indexed, (\d+) unchanged.*\n.*chunks: \d+ written, (\d+) embedded");
        Assert.True(summary.Success, rerun.Stdout);
        var (indexed, unchanged, embedded) = (Number(summary.Groups[1]), Number(summary.Groups[2]), Number(summary.Groups[3]));
        Assert.True(unchanged > 0 && (indexed > 0 || embedded > 0), $"rerun: {indexed} indexed, {unchanged} unchanged, {embedded} embedded");

        var clean = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "clean"), "index", tree, "--name", "big");
        Assert.True(clean.ExitCode == 0, clean.Stderr);

        Assert.Equal(await IndexExport.ExportAsync(Path.Combine(_temp.Path, "clean")), await IndexExport.ExportAsync(data));
    }

    [Fact]
    public async Task Index_KilledWhileEmbedding_SearchableLexicallyMeanwhile_RerunEmbedsOnlyWhatWasMissing_EqualsCleanIndex()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "late"), files: 120);
        var data = Path.Combine(_temp.Path, "late-data");
        // Small embedding steps, so some vectors are stored before the kill and some are not.
        var environment = new Dictionary<string, string> { ["CodeGraphRag__Indexing__VectorBacklogBatch"] = "16" };

        using (var first = CgrProcess.Start(data, environment, "index", tree, "--name", "late", "--plain"))
        {
            await first.WaitForOutputAsync("searchable after", 1, TimeSpan.FromMinutes(3));
            Assert.DoesNotContain("fully embedded", first.Stdout, StringComparison.Ordinal);
            first.Kill();
            Assert.Equal(137, await first.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        // Written but not (all) embedded: lexical search answers, status counts what awaits vectors.
        var status = await CgrProcess.RunAsync(data, "status", "--repo", "late");
        Assert.True(status.ExitCode == 0, status.Stderr);
        var awaiting = System.Text.RegularExpressions.Regex.Match(status.Stdout, @"awaiting vectors: (\d+) chunks");
        Assert.True(awaiting.Success, status.Stdout);
        var lexical = await CgrProcess.RunAsync(data, "search", "index_invoice_7", "--mode", "lexical", "--json");
        Assert.True(lexical.ExitCode == 0, lexical.Stderr);
        Assert.Contains("module_7.py", lexical.Stdout, StringComparison.Ordinal);

        var rerun = await CgrProcess.RunAsync(data, "index", tree, "--name", "late");
        Assert.True(rerun.ExitCode == 0, rerun.Stdout + rerun.Stderr);
        var summary = System.Text.RegularExpressions.Regex.Match(rerun.Stdout, @"files: 0 indexed, (\d+) unchanged.*\n.*chunks: 0 written, (\d+) embedded");
        Assert.True(summary.Success, rerun.Stdout);
        Assert.True(Number(summary.Groups[2]) <= Number(awaiting.Groups[1]), $"rerun embedded {summary.Groups[2].Value}, but only {awaiting.Groups[1].Value} chunks awaited vectors");
        var after = await CgrProcess.RunAsync(data, "status", "--repo", "late");
        Assert.DoesNotContain("awaiting vectors", after.Stdout, StringComparison.Ordinal);

        var clean = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "late-clean"), "index", tree, "--name", "late");
        Assert.True(clean.ExitCode == 0, clean.Stderr);
        Assert.Contains("fully embedded after", clean.Stdout, StringComparison.Ordinal);
        Assert.Equal(await IndexExport.ExportAsync(Path.Combine(_temp.Path, "late-clean")), await IndexExport.ExportAsync(data));
    }

    [Fact]
    public async Task Index_SigtermMidRun_StopsAsCancelled_RerunEqualsCleanIndex()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM is a POSIX signal");
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "term"), files: 160);
        var data = Path.Combine(_temp.Path, "term-data");

        using (var first = CgrProcess.Start(data, "index", tree, "--name", "term", "--plain"))
        {
            await first.FirstProgress.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(0, Signals.Kill(first.Pid, Signals.Sigterm));
            var code = await first.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(code == 130, $"exit {code}: {first.Stderr}");
            Assert.Contains("cgr: cancelled", first.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("synced", first.Stdout, StringComparison.Ordinal);
        }

        var rerun = await CgrProcess.RunAsync(data, "index", tree, "--name", "term");
        Assert.True(rerun.ExitCode == 0, rerun.Stdout + rerun.Stderr);

        var clean = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "term-clean"), "index", tree, "--name", "term");
        Assert.True(clean.ExitCode == 0, clean.Stderr);

        Assert.Equal(await IndexExport.ExportAsync(Path.Combine(_temp.Path, "term-clean")), await IndexExport.ExportAsync(data));
    }

    [Fact]
    public async Task Remove_DeletesTheRepositoryEverywhere()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "small"), files: 3);
        var data = Path.Combine(_temp.Path, "data");
        Assert.Equal(0, (await CgrProcess.RunAsync(data, "index", tree, "--name", "small")).ExitCode);

        var removed = await CgrProcess.RunAsync(data, "remove", "small");
        var search = await CgrProcess.RunAsync(data, "search", "function", "--repo", "small");

        Assert.Equal(0, removed.ExitCode);
        Assert.NotEqual(0, search.ExitCode);
        Assert.Contains("unknown repository", search.Stderr, StringComparison.Ordinal);
        var state = await IndexExport.ExportAsync(data);
        Assert.DoesNotContain("module_0", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexWatch_FileChanged_SyncsOnlyThatFile()
    {
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "watched"), files: 4);
        using var watch = CgrProcess.Start(Path.Combine(_temp.Path, "data"), "index", tree, "--name", "watched", "--watch", "--plain");
        await watch.WaitForOutputAsync("watching ", 1, TimeSpan.FromMinutes(2));

        await File.AppendAllTextAsync(Path.Combine(tree, "pkg0", "module_1.py"), "\n\ndef added_by_watch_test():\n    return 42\n", TestContext.Current.CancellationToken);
        // The summary's "files:" line follows its "synced" line; wait for the second summary's counts, not just its header.
        await watch.WaitForOutputAsync("  files: ", 2, TimeSpan.FromMinutes(2));

        Assert.Contains("files: 1 indexed, 3 unchanged, 0 deleted, 0 failed", watch.Stdout, StringComparison.Ordinal);
        var search = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "data"), "search", "added_by_watch_test", "--mode", "lexical", "--json");
        Assert.Contains("\"path\": \"pkg0/module_1.py\"", search.Stdout, StringComparison.Ordinal);
    }


    public void Dispose() => _temp.Dispose();

    private static int Number(System.Text.RegularExpressions.Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);
}
