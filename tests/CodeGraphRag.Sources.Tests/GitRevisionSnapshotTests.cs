using System.Text;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Sources.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class GitRevisionSnapshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnumerateAsync_FirstCommit_ListsFilesWithBlobIdsAndSkipReasonsAsync()
    {
        using var repo = new TempDirectory();
        Git(repo.Path, "init", "-q");
        repo.Write("src/app.py", "def main():\n    return 1\n");
        repo.Write("src/removed.py", "x = 1\n");
        repo.Write("node_modules/pkg/index.js", "module.exports = 1;");
        repo.Write("web/app.min.js", "var a=1;");
        repo.Write("big.txt", new string('x', 3000));
        File.WriteAllBytes(Path.Combine(repo.Path, "blob.dat"), [1, 0, 2]);
        File.WriteAllBytes(Path.Combine(repo.Path, "logo.png"), [1, 2, 3]);
        File.CreateSymbolicLink(Path.Combine(repo.Path, "link.py"), "src/app.py");
        Git(repo.Path, "add", "-A");
        Git(repo.Path, "commit", "-q", "-m", "first");
        var first = Git(repo.Path, "rev-parse", "HEAD").Trim();
        Git(repo.Path, "update-index", "--add", "--cacheinfo", "160000," + first + ",libs/sub");
        Git(repo.Path, "rm", "-q", "src/removed.py");
        repo.Write("src/app.py", "def main():\n    return 2\n");
        Git(repo.Path, "add", "src/app.py");
        Git(repo.Path, "commit", "-q", "-m", "second");

        await using var snapshot = await GitRevisionSnapshot.OpenAsync(repo.Path, first[..10], new SourceSnapshotOptions { MaxFileSize = 2000 }, Ct);
        var entries = await snapshot.ListAsync();

        Assert.Equal(first, snapshot.CommitId);
        Assert.Equal(entries.Select(e => e.Path).Order(StringComparer.Ordinal), entries.Select(e => e.Path));
        var app = entries.Single("src/app.py");
        Assert.True(app.IsCandidate);
        Assert.Equal(Git(repo.Path, "rev-parse", first + ":src/app.py").Trim(), app.ContentHash);
        Assert.Equal("def main():\n    return 1\n", Encoding.UTF8.GetString(await snapshot.ReadAsync(app, Ct)));
        Assert.True(entries.Single("src/removed.py").IsCandidate);
        Assert.Equal("x = 1\n", Encoding.UTF8.GetString(await snapshot.ReadAsync(entries.Single("src/removed.py"), Ct)));
        Assert.Equal(SkipReasons.Vendored, entries.ReasonOf("node_modules"));
        Assert.Equal(SkipReasons.Generated, entries.ReasonOf("web/app.min.js"));
        Assert.Equal(SkipReasons.TooLarge, entries.ReasonOf("big.txt"));
        Assert.Equal(SkipReasons.Binary, entries.ReasonOf("blob.dat"));
        Assert.Equal(SkipReasons.Binary, entries.ReasonOf("logo.png"));
        Assert.Equal(SkipReasons.Symlink, entries.ReasonOf("link.py"));
        Assert.DoesNotContain(entries, e => e.Path == "libs/sub");

        await using var head = await GitRevisionSnapshot.OpenAsync(repo.Path, "HEAD", cancellationToken: Ct);
        var headEntries = await head.ListAsync();
        Assert.DoesNotContain(headEntries, e => e.Path == "src/removed.py");
        Assert.Equal(SkipReasons.Submodule, headEntries.ReasonOf("libs/sub"));
        Assert.Equal("def main():\n    return 2\n", Encoding.UTF8.GetString(await head.ReadAsync(headEntries.Single("src/app.py"), Ct)));
    }

    [Fact]
    public async Task ReadAsync_ManyConcurrentReads_ShareOneProcessCorrectlyAsync()
    {
        using var repo = new TempDirectory();
        Git(repo.Path, "init", "-q");
        for (var i = 0; i < 40; i++)
        {
            repo.Write($"f{i:D2}.txt", new string((char)('a' + (i % 26)), 100 + i) + "\n");
        }

        Git(repo.Path, "add", "-A");
        Git(repo.Path, "commit", "-q", "-m", "files");

        await using var snapshot = await GitRevisionSnapshot.OpenAsync(repo.Path, "HEAD", cancellationToken: Ct);
        var entries = await snapshot.ListAsync();
        var contents = await Task.WhenAll(entries.Select(e => snapshot.ReadAsync(e, Ct)));

        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(repo.Path, entries[i].Path)), contents[i]);
        }
    }

    [Fact]
    public async Task OpenAsync_SubfolderOfRepository_ListsOnlyThatSubfolderRelativeToItAsync()
    {
        using var repo = new TempDirectory();
        Git(repo.Path, "init", "-q");
        repo.Write("pkg/mod.py", "x = 1\n");
        repo.Write("other.py", "y = 2\n");
        Git(repo.Path, "add", "-A");
        Git(repo.Path, "commit", "-q", "-m", "files");

        await using var snapshot = await GitRevisionSnapshot.OpenAsync(Path.Combine(repo.Path, "pkg"), "HEAD", cancellationToken: Ct);
        var entries = await snapshot.ListAsync();

        Assert.Equal(["mod.py"], entries.Select(e => e.Path));
    }

    [Fact]
    public async Task OpenAsync_UnknownRevision_ThrowsClearErrorAsync()
    {
        using var repo = new TempDirectory();
        Git(repo.Path, "init", "-q");
        repo.Write("a.txt", "a");
        Git(repo.Path, "add", "-A");
        Git(repo.Path, "commit", "-q", "-m", "files");

        var ex = await Assert.ThrowsAsync<SourceSnapshotException>(() => GitRevisionSnapshot.OpenAsync(repo.Path, "no-such-branch", cancellationToken: Ct));

        Assert.Contains("no-such-branch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not name a commit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NotARepository_ThrowsClearErrorAsync()
    {
        using var dir = new TempDirectory();

        var ex = await Assert.ThrowsAsync<SourceSnapshotException>(() => GitRevisionSnapshot.OpenAsync(dir.Path, "HEAD", cancellationToken: Ct));

        Assert.Contains("not a git repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_OptionLikeRevision_IsRefusedAsync()
    {
        using var dir = new TempDirectory();

        await Assert.ThrowsAsync<SourceSnapshotException>(() => GitRevisionSnapshot.OpenAsync(dir.Path, "--output=/tmp/x", cancellationToken: Ct));
    }

    private static string Git(string repository, params string[] arguments) => GitCommand.Run(repository, arguments);
}
