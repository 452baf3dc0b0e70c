using CodeGraphRag.Retrieval.Query;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Query;

[Trait("Category", TestCategories.Unit)]
public sealed class QueryTextTests
{
    [Fact]
    public void WithoutVersionListings_PipCondaAndShowVersionsLines_Dropped()
    {
        const string Issue = "Dynamically adding an xfail marker no longer ignores the failure.\r\n"
            + "Package                       Version    Location\r\n"
            + "----------------------------- ---------- --------\r\n"
            + "aioftp                        0.13.0\r\n"
            + "more-itertools 7.0.0  \r\n"
            + "pytest                        6.0.0rc2.dev33+g7f7a36478 /home/u/pytest/src\r\n"
            + "libhdf5: 1.10.4\r\n"
            + "numpy==1.21.0\r\n"
            + "Use request.node.add_marker(mark) in a test.\n";

        var cleaned = QueryText.WithoutVersionListings(Issue);

        Assert.Equal(
            "Dynamically adding an xfail marker no longer ignores the failure.\r\nPackage                       Version    Location\r\n"
            + "----------------------------- ---------- --------\r\nUse request.node.add_marker(mark) in a test.\n",
            cleaned);
    }

    [Theory]
    [InlineData("upgrade to 2.3.0 broke sessions")]
    [InlineData("python 3.8 is required since pytest 6.0")]
    [InlineData("x = 1.5\ny = foo(2.0)")]
    [InlineData("def test_version():\n    assert version == 1.2\n")]
    [InlineData("")]
    public void WithoutVersionListings_VersionsInSentencesOrCode_Kept(string text)
    {
        Assert.Same(text, QueryText.WithoutVersionListings(text));
    }

    [Fact]
    public void WithoutVersionListings_NothingElseLeft_ReturnsTheText()
    {
        const string Text = "attrs 19.1.0\nnumpy 1.21.0\n";

        Assert.Same(Text, QueryText.WithoutVersionListings(Text));
    }
}
