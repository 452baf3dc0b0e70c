using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Sources.Tests;

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
}
