using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class PathMentionListsTests
{
    private const string Trace = """
        Traceback (most recent call last):
          File "/home/u/app/main.py", line 67, in run
          File "/home/u/app/models.py", line 12, in load
        KeyError: 'id'
        """;

    private static bool IsPython(string path) => path.EndsWith(".py", StringComparison.Ordinal);

    [Fact]
    public void ToLookUp_InnermostFrameFirst_CappedByMaxMentionedPaths()
    {
        Assert.Equal(["models.py", "main.py"], PathMentionLists.ToLookUp(Trace, IsPython, new SearchOptions()).Select(m => Path.GetFileName(m.Path)));
        Assert.Single(PathMentionLists.ToLookUp(Trace, IsPython, new SearchOptions { MaxMentionedPaths = 1 }));
        Assert.Empty(PathMentionLists.ToLookUp(Trace, _ => false, new SearchOptions()));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    public void ToLookUp_NoFileOrNoChunkAllowed_LooksNothingUp(int filesPerMention, int chunksPerFile)
    {
        var options = new SearchOptions { MaxFilesPerMention = filesPerMention, MaxChunksPerMentionedFile = chunksPerFile };

        Assert.Empty(PathMentionLists.ToLookUp(Trace, IsPython, options));
    }

    [Fact]
    public void Rank_ChunksOutsideTheScope_TakeNoPlace()
    {
        PathMention[] mentions = [new("/home/u/app/models.py", ["load"], 1), new("/home/u/app/main.py", ["run"], 1)];
        var found = new[]
        {
            SearchScopeTests.Chunk("m1", path: "app/models.py"),
            SearchScopeTests.Chunk("x1", repository: "secret", path: "app/main.py"),
        };

        var lists = PathMentionLists.Rank(mentions, found, Trace, new SearchScope("q", new ChunkFilter(["a"], null, null)), new SearchOptions());

        Assert.Equal(["m1"], Assert.Single(lists).Select(c => c.ChunkId));
    }
}
