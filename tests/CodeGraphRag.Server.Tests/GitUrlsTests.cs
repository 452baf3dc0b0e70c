using CodeGraphRag.Server.Repositories;
using CodeGraphRag.Server.Webhooks;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class GitUrlsTests
{
    [Theory]
    [InlineData("https://github.com/Acme/Repo.git")]
    [InlineData("https://token@github.com/acme/repo/")]
    [InlineData("ssh://git@github.com:22/acme/repo.git")]
    [InlineData("git@github.com:acme/repo.git")]
    public void Canonical_FormsOfOneRepository_CompareEqual(string url)
        => Assert.Equal("github.com/acme/repo", GitUrls.Canonical(url));

    [Theory]
    [InlineData("ftp://example.com/x", false)]
    [InlineData("https://github.com/acme/my repo.git", false)]
    [InlineData("https://github.com/acme/repo.git\n", false)]
    [InlineData("-oProxyCommand=touch%20x:repo", false)]
    [InlineData("git@-oProxyCommand=x:repo", false)]
    [InlineData("https://example.com/", false)]
    [InlineData("/local/path", false)]
    [InlineData("https://gitlab.example.com/group/sub/repo.git", true)]
    [InlineData("git@gitlab.example.com:group/repo.git", true)]
    public void IsValid_Classifies(string url, bool valid) => Assert.Equal(valid, GitUrls.IsValid(url));

    [Fact]
    public void GitHubSignature_RoundTrips_AndRejectsTampering()
    {
        var body = "{\"ref\":\"refs/heads/main\"}"u8.ToArray();
        var signature = WebhookVerifier.GitHubSignature("s", body);
        Assert.True(WebhookVerifier.IsValidGitHubSignature("s", body, signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("t", body, signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", [.. body, (byte)' '], signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", body, signature.Replace("sha256=", "sha1=", StringComparison.Ordinal)));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", body, null));
    }
}
