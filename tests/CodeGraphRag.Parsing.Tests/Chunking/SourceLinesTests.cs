using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Chunking;

[Trait("Category", TestCategories.Unit)]
public sealed class SourceLinesTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("a\n", 1)]
    [InlineData("a\n\n", 2)]
    [InlineData("a\r\nb\r\n", 2)]
    [InlineData("a\rb", 1)]
    public void Count_LineEndings_CountsNewlineTerminatedLines(string text, int expected)
    {
        Assert.Equal(expected, new SourceLines(text).Count);
    }

    [Fact]
    public void Indexer_CrLfText_DropsTerminatorsAndMapsPositions()
    {
        var lines = new SourceLines("one\r\ntwo\r\n\r\nfour");

        Assert.Equal(["one", "two", "", "four"], Enumerable.Range(1, lines.Count).Select(l => lines[l]));
        Assert.Equal([1, 1, 1, 2, 3, 4], new[] { 0, 3, 4, 5, 10, 12 }.Select(lines.LineOf));
        Assert.True(lines.IsBlank(3));
    }
}
