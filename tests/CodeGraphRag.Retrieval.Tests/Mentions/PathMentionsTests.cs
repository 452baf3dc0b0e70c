using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Mentions;

/// <summary>The rule every chunk store resolves named paths by (<see cref="PathMentions"/>).</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PathMentionsTests
{
    private static readonly (string Repository, string Path)[] Files =
    [
        ("requests", "requests/models.py"),
        ("requests", "requests/packages/urllib3/response.py"),
        ("requests", "docs/models.py"),
        ("shop", "app/models.py"),
        ("shop", "app/__init__.py"),
        ("shop", "app/api/__init__.py"),
        ("shop", "lib/__init__.py"),
        ("shop", "tools/__init__.py"),
        ("shop", "tests/__init__.py"),
    ];

    [Theory]
    [InlineData("/home/u/site-packages/requests-2.3.0-py2.7.egg/requests/models.py", "home/u/site-packages/requests-2.3.0-py2.7.egg/requests/models.py")]
    [InlineData("..\\..\\requests\\models.py", "requests/models.py")]
    [InlineData("C:\\work\\.\\requests\\models.py", "work/requests/models.py")]
    [InlineData("a/../../b.py", "b.py")]
    [InlineData("../", "")]
    [InlineData("", "")]
    public void Normalize_SlashesDotsAndDrives(string mention, string expected)
    {
        Assert.Equal(expected, PathMentions.Normalize(mention));
    }

    [Theory]
    [InlineData("x/requests/models.py", "requests/models.py", 2)]
    [InlineData("models.py", "requests/models.py", 1)]
    [InlineData("requests/models.py", "models.py", 1)]
    [InlineData("a/b/c.py", "a/b/c.py", 3)]
    [InlineData("b/models.py", "requests/models.py", 1)]
    [InlineData("requests/other.py", "requests/models.py", 0)]
    [InlineData("xmodels.py", "requests/models.py", 0)]
    public void SharedTrailingSegments_WholeSegmentsFromTheEnd(string mention, string path, int expected)
    {
        Assert.Equal(expected, PathMentions.SharedTrailingSegments(mention, path));
    }

    [Fact]
    public void Resolve_LongestSharedTailWins_TiesBeyondTheCapAreAmbiguous()
    {
        Assert.Equal([("requests", "requests/models.py")], PathMentions.Resolve("site-packages/requests/models.py", Files, maxFiles: 3));
        Assert.Equal([("requests", "requests/models.py"), ("requests", "docs/models.py"), ("shop", "app/models.py")], PathMentions.Resolve("models.py", Files, maxFiles: 3));
        Assert.Empty(PathMentions.Resolve("models.py", Files, maxFiles: 2));
        Assert.Empty(PathMentions.Resolve("x/__init__.py", Files, maxFiles: 3));
        Assert.Equal([("shop", "app/api/__init__.py")], PathMentions.Resolve("src/app/api/__init__.py", Files, maxFiles: 3));
        Assert.Empty(PathMentions.Resolve("requests/sessions.py", Files, maxFiles: 3));
    }
}
