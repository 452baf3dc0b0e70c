using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class NeighborLookupTests
{
    private static SymbolKey Symbol(string name) => new("a", "src/x.py", name);

    [Fact]
    public void WithSymbols_KnownChunksGetTheirSymbol_UnknownStayAsTheyAre()
    {
        var records = new Dictionary<string, ChunkRecord> { ["1"] = SearchScopeTests.Chunk("1") };

        var candidates = NeighborLookup.WithSymbols([new("1", 0.5, null), new("missing", 0.4, null)], records);

        Assert.Equal(Symbol("1"), candidates[0].Symbol);
        Assert.Null(candidates[1].Symbol);
    }

    [Fact]
    public void ToExpand_TheTopCandidatesSymbols_EachOnce()
    {
        var options = new SearchOptions();
        options.Graph.ExpandTop = 3;
        GraphCandidate[] candidates = [new("1", 4, Symbol("f")), new("2", 3, null), new("3", 2, Symbol("f")), new("4", 1, Symbol("g"))];

        Assert.Equal([Symbol("f")], NeighborLookup.ToExpand(candidates, options));
    }

    [Fact]
    public void Query_EveryRelationWithinTheReadableRepositories()
    {
        var options = new SearchOptions { MaxNeighborsPerRelation = 2 };

        var query = NeighborLookup.Query(new SearchScope("q", new ChunkFilter(["a"], null, null)), options);

        Assert.Equal((GraphRelation.All, 2, options.Graph.MaxCandidatesPerName, 1), (query.Relations, query.MaxPerRelation, query.MaxCandidatesPerName, query.Depth));
        Assert.Equal(["a"], query.Repositories!);
    }

    [Fact]
    public void Resolve_NeighboursGetTheirChunkIds_NewChunksAreRecorded_KnownOnesKept()
    {
        var known = SearchScopeTests.Chunk("1");
        var records = new Dictionary<string, ChunkRecord> { ["1"] = known };
        var callee = Symbol("callee");
        GraphNeighbor[] neighbors =
        [
            new(Symbol("f"), GraphRelation.Callee, callee, SymbolKind.Function, 1, 9, 1),
            new(Symbol("f"), GraphRelation.Caller, Symbol("nochunks"), SymbolKind.Function, 1, 9, 1),
        ];
        var found = new Dictionary<SymbolKey, IReadOnlyList<ChunkRecord>> { [callee] = [SearchScopeTests.Chunk("1", path: "other.py"), SearchScopeTests.Chunk("2")] };

        var resolved = NeighborLookup.Resolve(neighbors, found, records);

        Assert.Equal(["1", "2"], resolved[0].ChunkIds);
        Assert.Empty(resolved[1].ChunkIds);
        Assert.Same(known, records["1"]);
        Assert.Equal(["1", "2"], records.Keys.Order(StringComparer.Ordinal));
    }
}
