using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Query;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Mentions;

[Trait("Category", TestCategories.Unit)]
public sealed class MentionRankingTests
{
    private static ChunkRecord Chunk(string path, string symbol, int line, string text) =>
        new($"{path}#{line}", "r", path, "python", symbol, ChunkKind.Function, line, line + 5, text, "h", "e", LexicalAnalyzer.ToLexicalText(text), null);

    [Fact]
    public void Rank_OneListPerFile_FrameFunctionThenSharedTermsThenLines()
    {
        var chunks = new[]
        {
            Chunk("requests/packages/urllib3/response.py", "HTTPResponse.__init__", 10, "def __init__(self, body): self._body = body"),
            Chunk("requests/packages/urllib3/response.py", "HTTPResponse.read", 40, "def read(self, amt): return self._fp.read(amt)"),
            Chunk("requests/models.py", "Request", 1, "class Request: pass"),
            Chunk("requests/models.py", "Response.iter_content", 20, "def iter_content(self): socket error reset connection"),
            Chunk("requests/models.py", "Response.content", 50, "def content(self): return self._content"),
            Chunk("requests/models.py", "Response.json", 80, "def json(self): connection"),
        };
        PathMention[] mentions =
        [
            new("/x/requests/packages/urllib3/response.py", ["read"], 1),
            new("/x/requests/models.py", ["content"], 2),
        ];

        var lists = MentionRanking.Rank(mentions, chunks, LexicalAnalyzer.QueryTerms("socket connection reset error"), maxChunksPerFile: 3);

        Assert.Equal(2, lists.Count);
        Assert.Equal(["requests/packages/urllib3/response.py#40", "requests/packages/urllib3/response.py#10"], lists[0].Select(c => c.ChunkId));
        Assert.Equal(["requests/models.py#50", "requests/models.py#20", "requests/models.py#80"], lists[1].Select(c => c.ChunkId));
        Assert.All(lists[0], c => Assert.Equal(1, c.Score));
        Assert.All(lists[1], c => Assert.Equal(2, c.Score));
    }

    [Fact]
    public void Rank_NoChunksOrNoRoom_Empty()
    {
        PathMention[] mentions = [new("a.py", [], 1)];

        Assert.Empty(MentionRanking.Rank(mentions, [], ["a"], 3));
        Assert.Empty(MentionRanking.Rank(mentions, [Chunk("a.py", "f", 1, "def f(): pass")], ["a"], 0));
    }
}
