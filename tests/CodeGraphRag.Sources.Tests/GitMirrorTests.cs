using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Sources.Tests;

public sealed class GitMirrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("https://github.com/psf/requests.git", true)]
    [InlineData("http://git.local/x", true)]
    [InlineData("ssh://git@host/org/repo.git", true)]
    [InlineData("git@github.com:psf/requests.git", true)]
    [InlineData("file:///srv/repos/a.git", true)]
    [InlineData("/home/me/src/requests", false)]
    [InlineData("requests", false)]
    [InlineData("C:\\src\\repo", false)]
    [InlineData("./me@host:dir", false)]
    public void IsRemote_RecognisesGitUrlsOnly(string source, bool expected) => Assert.Equal(expected, GitMirror.IsRemote(source));

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("https://x-access-token:ghp_abc123@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("https://user@gitlab.example.com/g/r", "https://***@gitlab.example.com/g/r")]
    [InlineData("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    public void Redact_RemovesUserInfo(string url, string expected) => Assert.Equal(expected, GitMirror.Redact(url));

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(null, null, "HEAD")]
    [InlineData(null, "dev", "refs/heads/dev")]
    [InlineData("abc123", "dev", "abc123")]
    [InlineData(null, "refs/tags/v1", "refs/tags/v1")]
    public void Revision_PrefersExplicitThenBranchThenDefault(string? revision, string? branch, string expected) =>
        Assert.Equal(expected, GitMirror.Revision(revision, branch));

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Revision_OptionLikeBranch_IsRefused() =>
        Assert.Throws<SourceSnapshotException>(() => GitMirror.Revision(null, "--upload-pack=x"));

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task UpdateAsync_CloneThenFetch_SnapshotsFollowTheBranch()
    {
        using var origin = new TempDirectory("cgr-origin");
        using var cache = new TempDirectory("cgr-cache");
        GitCommand.Run(origin.Path, "init", "-q");
        origin.Write("a.py", "def a(): return 1\n");
        GitCommand.Run(origin.Path, "add", "-A");
        GitCommand.Run(origin.Path, "commit", "-q", "-m", "one");
        var url = new Uri(origin.Path).AbsoluteUri;

        var mirror = await GitMirror.UpdateAsync(url, cache.Path, Ct);
        await using (var first = await GitRevisionSnapshot.OpenAsync(mirror, GitMirror.Revision(null, "main"), cancellationToken: Ct))
        {
            Assert.Equal(["a.py"], (await first.ListAsync()).Select(e => e.Path));
        }

        origin.Write("b.py", "def b(): return 2\n");
        GitCommand.Run(origin.Path, "add", "-A");
        GitCommand.Run(origin.Path, "commit", "-q", "-m", "two");
        var head = GitCommand.Run(origin.Path, "rev-parse", "HEAD").Trim();

        Assert.Equal(mirror, await GitMirror.UpdateAsync(url, cache.Path, Ct));
        await using var second = await GitRevisionSnapshot.OpenAsync(mirror, GitMirror.Revision(null, null), cancellationToken: Ct);
        Assert.Equal(head, second.CommitId);
        Assert.Equal(["a.py", "b.py"], (await second.ListAsync()).Select(e => e.Path));
        Assert.Single(Directory.GetDirectories(cache.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task UpdateAsync_UnreachableUrlWithToken_FailsWithoutTheToken()
    {
        using var cache = new TempDirectory("cgr-cache");

        var error = await Assert.ThrowsAsync<SourceSnapshotException>(
            () => GitMirror.UpdateAsync("https://user:s3cr3t-token@127.0.0.1:9/org/repo.git", cache.Path, Ct));

        Assert.Contains("git clone of 'https://***@127.0.0.1:9/org/repo.git' failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }
}
