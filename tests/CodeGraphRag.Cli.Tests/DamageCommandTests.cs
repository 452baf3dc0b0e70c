using System.Text.Json;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestSupport;

namespace CodeGraphRag.Cli.Tests;

/// <summary>A damaged index stops every command with one line, <c>status --check</c> verifies, <c>repair</c> restores.</summary>
[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class DamageCommandTests : IDisposable
{
    private const string Query = "reject a signed login credential whose lifetime has passed";

    // The ANN index is used above this many vectors; the sample repository has more.
    private static readonly Dictionary<string, string> AnnInUse = new() { ["CodeGraphRag__Storage__Embedded__ExactSearchThreshold"] = "5" };

    private readonly TempDirectory _temp = new("cgr-cli-damage");

    private string Tree => Path.Combine(_temp.Path, "acme");

    private string Data => Path.Combine(_temp.Path, "data");

    private string Database => Path.Combine(Data, "index.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryCommand_GarbageInTheMiddleOfIndexDb_FailsWithOneLineNamingTheFileAndRepair()
    {
        await IndexAsync(Data);
        DatabaseDamage.GarbleMiddleTablePage(Database);

        var index = await CgrProcess.RunAsync(Data, "index", Tree, "--name", "acme");

        AssertDamageLine(index);
        Assert.DoesNotContain("unchanged", index.Stdout, StringComparison.Ordinal);
        foreach (var args in (string[][])[["status"], ["status", "--check"], ["search", Query], ["context", Query, "--budget", "500"], ["repos"], ["remove", "acme"]])
        {
            AssertDamageLine(await CgrProcess.RunAsync(Data, args));
        }
    }

    [Fact]
    public async Task Status_AfterTheWriterWasKilled_ChecksOnceThenTrustsTheCheckedFiles()
    {
        const string Checked = "was not closed cleanly";
        Fixtures.CopyTo("sample-repo", Tree);
        using (var writer = CgrProcess.Start(Data, "index", Tree, "--name", "acme", "--watch", "--plain"))
        {
            await writer.WaitForOutputAsync("watching", 1, TimeSpan.FromMinutes(3));
            writer.Kill();
            await writer.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.False(File.Exists(Path.Combine(Data, "clean-close.json")));

        var first = await CgrProcess.RunAsync(Data, "status", "--verbose");
        var second = await CgrProcess.RunAsync(Data, "status", "--verbose");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains(Checked, first.Stderr, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.DoesNotContain(Checked, second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCheck_HealthyIndex_ReportsTheChecks()
    {
        await IndexAsync(Data, AnnInUse);

        var (code, stdout, stderr) = await CgrProcess.RunAsync(Data, AnnInUse, "status", "--check");

        Assert.True(code == 0, stderr);
        Assert.Contains("integrity: ok (SQLite quick_check", stdout, StringComparison.Ordinal);
        Assert.Contains("ANN index file checksum", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("rebuilt", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCheck_TruncatedAnnFile_RebuildsItFromSqliteAndSearchAgrees()
    {
        await IndexAsync(Data, AnnInUse);
        var before = await CgrProcess.RunAsync(Data, AnnInUse, "search", Query, "--json", "--mode", "dense");
        Assert.True(before.ExitCode == 0, before.Stderr);
        DatabaseDamage.Truncate(Directory.GetFiles(Data, "ann-*.usearch").Single());

        var (code, stdout, stderr) = await CgrProcess.RunAsync(Data, AnnInUse, "status", "--check");

        Assert.True(code == 0, stderr);
        Assert.Contains("truncated or overwritten", stderr, StringComparison.Ordinal);
        Assert.Contains("integrity: ok", stdout, StringComparison.Ordinal);
        var after = await CgrProcess.RunAsync(Data, AnnInUse, "search", Query, "--json", "--mode", "dense");
        Assert.Equal(Hits(before.Stdout), Hits(after.Stdout));
    }

    [Fact]
    public async Task Repair_DatabaseBeyondRepair_MovesItAsideAndReindexesToACleanIndex()
    {
        await IndexAsync(Data);
        DatabaseDamage.GarbleMiddleTablePage(Database);

        var (code, stdout, stderr) = await CgrProcess.RunAsync(Data, "repair", "--plain");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("moved aside to", stdout, StringComparison.Ordinal);
        Assert.Contains($"re-indexing 'acme' from {Tree}", stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Data, "index.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        var clean = Path.Combine(_temp.Path, "clean");
        await IndexAsync(clean);
        Assert.Equal(await IndexExport.ExportAsync(clean), await IndexExport.ExportAsync(Data));
        var repaired = await CgrProcess.RunAsync(Data, "search", Query, "--json");
        var fresh = await CgrProcess.RunAsync(clean, "search", Query, "--json");
        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        Assert.Equal(Hits(fresh.Stdout), Hits(repaired.Stdout));
    }

    [Fact]
    public async Task Repair_HealthyIndex_RebuildsDerivedIndexesInPlaceLosingNothing()
    {
        await IndexAsync(Data, AnnInUse);
        var before = await IndexExport.ExportAsync(Data);

        var (code, stdout, stderr) = await CgrProcess.RunAsync(Data, AnnInUse, "repair");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("rebuilt the chunk lexical index", stdout, StringComparison.Ordinal);
        Assert.Contains("ANN index rebuilt from", stdout, StringComparison.Ordinal);
        Assert.Contains("nothing was lost", stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Data, "index.db.damaged-*"));
        Assert.Equal(before, await IndexExport.ExportAsync(Data));
    }

    /// <summary>The hits of a <c>search --json</c> document (everything but its timing).</summary>
    private static string Hits(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("hits").GetRawText();
    }

    private void AssertDamageLine((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stdout} {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"cgr: the index database '{Database}' is damaged (", line, StringComparison.Ordinal);
        Assert.EndsWith($"run 'cgr repair --data-dir {Data}' to rebuild it", line, StringComparison.Ordinal);
    }

    private async Task IndexAsync(string data, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!Directory.Exists(Tree))
        {
            Fixtures.CopyTo("sample-repo", Tree);
        }

        var (code, stdout, stderr) = await CgrProcess.RunAsync(data, environment ?? new Dictionary<string, string>(), "index", Tree, "--name", "acme");
        Assert.True(code == 0, $"index failed ({code}): {stdout} {stderr}");
    }
}
