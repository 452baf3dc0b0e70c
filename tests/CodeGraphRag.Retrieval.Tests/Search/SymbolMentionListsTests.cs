using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SymbolMentionListsTests
{
    private static readonly SearchOptions Options = new();

    private static SymbolDefinition Definition(string name, string path, string? enclosing = null, string repository = "a") =>
        new(name, new SymbolKey(repository, path, enclosing is null ? name : $"{enclosing}.{name}"), SymbolKind.Function);

    [Fact]
    public void ToLookUp_NamedIdentifiers_FirstNamedFirst_NoneWhenNoFileIsAllowed()
    {
        Assert.Equal(["parse_header", "retry_after"], SymbolMentionLists.ToLookUp("why does `parse_header` ignore retry_after", Options).Select(m => m.Name));
        Assert.Empty(SymbolMentionLists.ToLookUp("why does `parse_header` fail", new SearchOptions { MaxFilesPerSymbol = 0 }));
    }

    [Fact]
    public void DefinitionLimit_IsFourPerAllowedFilePlusOne()
    {
        Assert.Equal(13, SymbolMentionLists.DefinitionLimit(Options));
        Assert.Equal(1, SymbolMentionLists.DefinitionLimit(new SearchOptions { MaxFilesPerSymbol = 0 }));
    }

    [Fact]
    public void Resolve_UnknownOrCommonNames_AreDropped()
    {
        var common = Enumerable.Range(0, SymbolMentionLists.DefinitionLimit(Options)).Select(i => Definition("main", $"m{i}.py")).ToList();
        var definitions = common.Append(Definition("rare", "r.py")).ToList();

        var resolved = SymbolMentionLists.Resolve([new SymbolMention("main", null), new SymbolMention("missing", null), new SymbolMention("rare", null)], definitions, Options);

        var only = Assert.Single(resolved);
        Assert.Equal("rare", only.Mention.Name);
        Assert.Equal(1, only.Files);
    }

    [Fact]
    public void Resolve_DefinedInTooManyFiles_IsDropped_ManyInOneFileIsKept()
    {
        var spread = Enumerable.Range(0, Options.MaxFilesPerSymbol + 1).Select(i => Definition("load", $"l{i}.py")).ToList();
        var overloads = Enumerable.Range(0, 4).Select(i => Definition("save", "s.py", $"Store{i}")).ToList();

        var resolved = SymbolMentionLists.Resolve([new SymbolMention("load", null), new SymbolMention("save", null)], [.. spread, .. overloads], Options);

        var only = Assert.Single(resolved);
        Assert.Equal("save", only.Mention.Name);
        Assert.Equal(4, only.Symbols.Count);
        Assert.Equal(1, only.Files);
    }

    [Fact]
    public void Resolve_Qualifier_KeepsTheDefinitionsItPointsTo_OrAllWhenNoneMatches()
    {
        var definitions = new[] { Definition("get", "client.py", "Session"), Definition("get", "cache.py", "Cache"), Definition("get", "models.py", "Model") };

        var byType = SymbolMentionLists.Resolve([new SymbolMention("get", "requests.Session")], definitions, Options);
        var byFile = SymbolMentionLists.Resolve([new SymbolMention("get", "cache")], definitions, Options);
        var unmatched = SymbolMentionLists.Resolve([new SymbolMention("get", "Elsewhere")], definitions, Options);

        Assert.Equal(["client.py"], byType.Single().Symbols.Select(s => s.Path));
        Assert.Equal(["cache.py"], byFile.Single().Symbols.Select(s => s.Path));
        Assert.Equal(3, unmatched.Single().Files);
    }

    [Fact]
    public void Build_DefinitionsThenCallers_WeightsDecayAndDivideByFiles()
    {
        var first = new SymbolKey("a", "f.py", "first");
        var second = new SymbolKey("a", "g.py", "second");
        var secondToo = new SymbolKey("a", "h.py", "second");
        var caller = new SymbolKey("a", "c.py", "caller");
        var resolved = new[]
        {
            new ResolvedSymbolMention(new SymbolMention("first", null), [first], 1),
            new ResolvedSymbolMention(new SymbolMention("second", null), [second, secondToo], 2),
        };
        var callers = new[] { new GraphNeighbor(first, GraphRelation.Caller, caller, SymbolKind.Function, 1, 9, 1) };
        var chunksOf = new Dictionary<SymbolKey, IReadOnlyList<ChunkRecord>>
        {
            [first] = [SearchScopeTests.Chunk("f1"), SearchScopeTests.Chunk("f2")],
            [caller] = [SearchScopeTests.Chunk("c1"), SearchScopeTests.Chunk("c2")],
            [second] = [SearchScopeTests.Chunk("g1")],
            [secondToo] = [SearchScopeTests.Chunk("h1")],
        };

        var built = SymbolMentionLists.Build(resolved, callers, chunksOf, new SearchScope("q", ChunkFilter.None), Options);

        Assert.Equal(2, built.Lists.Count);
        Assert.Equal(["f1", "f2", "c1"], built.Lists[0].Select(c => c.ChunkId));
        Assert.All(built.Lists[0], c => Assert.Equal(1.0, c.Score));
        Assert.Equal(["g1", "h1"], built.Lists[1].Select(c => c.ChunkId));
        Assert.Equal([1.0, 0.5 * 1.0 / 2], built.Weights);
    }

    [Fact]
    public void Build_ListWithNothingInScope_TakesNoPlaceOrWeight()
    {
        var hidden = new SymbolKey("a", "t.py", "hidden");
        var shown = new SymbolKey("a", "s.py", "shown");
        var resolved = new[]
        {
            new ResolvedSymbolMention(new SymbolMention("hidden", null), [hidden], 1),
            new ResolvedSymbolMention(new SymbolMention("shown", null), [shown], 1),
        };
        var chunksOf = new Dictionary<SymbolKey, IReadOnlyList<ChunkRecord>>
        {
            [hidden] = [SearchScopeTests.Chunk("t1", fileClass: FileClass.Test)],
            [shown] = [SearchScopeTests.Chunk("s1")],
        };
        var scope = new SearchScope("q", new ChunkFilter(null, null, null, ExcludedClasses: [FileClass.Test]));

        var built = SymbolMentionLists.Build(resolved, [], chunksOf, scope, Options);

        Assert.Equal(["s1"], Assert.Single(built.Lists).Select(c => c.ChunkId));
        Assert.Equal([1.0], built.Weights);
    }

    [Fact]
    public void CallerQuery_CallersTwoDeepWithinTheReadableRepositories()
    {
        var query = SymbolMentionLists.CallerQuery(new SearchScope("q", new ChunkFilter(["a"], null, null)), Options);

        Assert.Equal((GraphRelation.Caller, 2, Options.Graph.MaxCandidatesPerName, 1), (query.Relations, query.MaxPerRelation, query.MaxCandidatesPerName, query.Depth));
        Assert.Equal(["a"], query.Repositories!);
    }
}
