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
        var tree = Fixtures.GeneratePythonRepository(Path.Combine(_temp.Path, "big"), files: 160);
        var data = Path.Combine(_temp.Path, "data");

        using (var first = CgrProcess.Start(data, "index", tree, "--name", "big", "--plain"))
        {
            await first.FirstProgress.WaitAsync(TimeSpan.FromMinutes(3));

            var second = await CgrProcess.RunAsync(data, "index", tree, "--name", "big");
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("locked", second.Stderr, StringComparison.OrdinalIgnoreCase);

            var search = await CgrProcess.RunAsync(data, "search", "function", "--mode", "lexical", "--json");
            Assert.True(search.ExitCode == 0, search.Stderr);

            // The victim is still indexing when it dies, and it dies by SIGKILL (exit status 128 + 9), not by finishing.
            Assert.False(first.HasExited, "the first index finished before the kill, so nothing was killed mid-run: " + first.Stdout);
            first.Kill();
            Assert.Equal(137, await first.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain("files:", first.Stdout, StringComparison.Ordinal);
        }

        var rerun = await CgrProcess.RunAsync(data, "index", tree, "--name", "big");
        Assert.True(rerun.ExitCode == 0, rerun.Stdout + rerun.Stderr);
        // The victim held part of the sync: the rerun finds some files already done and indexes the rest.
        var summary = System.Text.RegularExpressions.Regex.Match(rerun.Stdout, @"files: (\d+) indexed, (\d+) unchanged");
        Assert.True(summary.Success, rerun.Stdout);
        var (indexed, unchanged) = (int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(indexed > 0 && unchanged > 0, $"rerun: {indexed} indexed, {unchanged} unchanged");

        var clean = await CgrProcess.RunAsync(Path.Combine(_temp.Path, "clean"), "index", tree, "--name", "big");
        Assert.True(clean.ExitCode == 0, clean.Stderr);

        Assert.Equal(await IndexExport.ExportAsync(Path.Combine(_temp.Path, "clean")), await IndexExport.ExportAsync(data));
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
}
