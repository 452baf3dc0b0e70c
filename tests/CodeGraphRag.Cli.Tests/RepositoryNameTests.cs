using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

/// <summary>
/// A repository name stays bound to the folder it was indexed from: `cgr index /x/a/src` then `cgr index /x/b/src` used
/// to report "1 deleted" and silently replace the first tree.
/// </summary>
[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class RepositoryNameTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-cli-names");

    private string Data => Path.Combine(_temp.Path, "data");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Index_SecondFolderWithTheSameName_GetsParentQualifiedNameAndTheFirstStays()
    {
        var first = _temp.Write("a/src/alpha.py", "def alpha_total(items):\n    return sum(items)\n");
        var second = _temp.Write("b/src/beta.py", "def beta_count(items):\n    return len(items)\n");

        var one = await CgrProcess.RunAsync(Data, "index", Path.GetDirectoryName(first)!, "--plain");
        var two = await CgrProcess.RunAsync(Data, "index", Path.GetDirectoryName(second)!, "--plain");
        var again = await CgrProcess.RunAsync(Data, "index", Path.GetDirectoryName(first)!, "--plain");
        var repos = await CgrProcess.RunAsync(Data, "repos");

        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.True(two.ExitCode == 0, two.Stderr);
        Assert.Contains("b/src: synced", two.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("1 deleted", two.Stdout, StringComparison.Ordinal);
        Assert.Contains("src: synced", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 indexed, 1 unchanged", again.Stdout, StringComparison.Ordinal);
        var names = repos.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).Order(StringComparer.Ordinal);
        Assert.Equal(["b/src", "src"], names);
    }

    [Fact]
    public async Task Index_TakenNameGivenExplicitly_RefusedUnlessReplace()
    {
        var first = Path.GetDirectoryName(_temp.Write("a/src/alpha.py", "def alpha_total(items):\n    return sum(items)\n"))!;
        var second = Path.GetDirectoryName(_temp.Write("b/src/beta.py", "def beta_count(items):\n    return len(items)\n"))!;
        Assert.Equal(0, (await CgrProcess.RunAsync(Data, "index", first, "--name", "shop", "--plain")).ExitCode);

        var refused = await CgrProcess.RunAsync(Data, "index", second, "--name", "shop", "--plain");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"repository 'shop' is already indexed from '{first}'", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--replace", refused.Stderr, StringComparison.Ordinal);
        var stillFirst = await CgrProcess.RunAsync(Data, "search", "alpha_total", "--repo", "shop", "--mode", "lexical");
        Assert.Contains("alpha.py", stillFirst.Stdout, StringComparison.Ordinal);

        var replaced = await CgrProcess.RunAsync(Data, "index", second, "--name", "shop", "--replace", "--plain");
        Assert.True(replaced.ExitCode == 0, replaced.Stderr);
        var nowSecond = await CgrProcess.RunAsync(Data, "search", "beta_count", "--repo", "shop", "--mode", "lexical");
        Assert.Contains("beta.py", nowSecond.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAndContext_EscapeSequencesInIndexedCode_PrintedNeutralizedAndJsonExact()
    {
        var tree = Path.GetDirectoryName(_temp.Write("esc/banner.py", "def show_banner():\n    # \u001b]0;pwned\u0007\u001b[2J banner_marker\n    return 1\n"))!;
        Assert.Equal(0, (await CgrProcess.RunAsync(Data, "index", tree, "--plain")).ExitCode);

        var text = await CgrProcess.RunAsync(Data, "search", "banner_marker", "--mode", "lexical");
        var context = await CgrProcess.RunAsync(Data, "context", "banner_marker", "--budget", "500", "--mode", "lexical");
        var json = await CgrProcess.RunAsync(Data, "search", "banner_marker", "--mode", "lexical", "--json");

        Assert.Contains("\\x1B]0;pwned\\x07\\x1B[2J banner_marker", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text.Stdout);
        Assert.Contains("\\x1B[2J banner_marker", context.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', context.Stdout);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Contains("\u001b[2J banner_marker", doc.RootElement.GetProperty("hits")[0].GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }
}
