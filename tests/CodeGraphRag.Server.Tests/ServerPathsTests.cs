using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class ServerPathsTests
{
    [Theory]
    [InlineData("/srv/repos", "/srv/repos", true)]
    [InlineData("/srv/repos/a/b", "/srv/repos", true)]
    [InlineData("/srv/repos/a", "/srv/repos/", true)]
    [InlineData("/srv/repos-other", "/srv/repos", false)]
    [InlineData("/srv", "/srv/repos", false)]
    [InlineData("/etc/ssh", "/", true)]
    public void IsUnder_ComponentBoundaries(string path, string root, bool under)
        => Assert.Equal(under, ServerPaths.IsUnder(path, [root]));

    [Fact]
    public void RealPath_FollowsLinksInEveryComponentAndRelativeTargets()
    {
        using var temp = new TempDirectory("cgr-realpath");
        var target = Path.Combine(temp.Path, "data", "deep");
        Directory.CreateDirectory(target);
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "first"), "data");
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "data", "hop"), Path.Combine(temp.Path, "first", "deep"));

        Assert.Equal(target, ServerPaths.RealPath(Path.Combine(temp.Path, "data", "hop")));
        Assert.Equal(Path.Combine(target, "not-yet"), ServerPaths.RealPath(Path.Combine(temp.Path, "first", "deep", "x", "..", "not-yet")));
    }

    [Fact]
    public void RealPath_LinkCycle_IOException()
    {
        using var temp = new TempDirectory("cgr-cycle");
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "a"), Path.Combine(temp.Path, "b"));
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "b"), Path.Combine(temp.Path, "a"));
        Assert.Throws<IOException>(() => ServerPaths.RealPath(Path.Combine(temp.Path, "a", "x")));
    }
}
