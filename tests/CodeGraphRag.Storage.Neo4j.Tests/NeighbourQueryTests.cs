using System.Net;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>Traversal requests (one round per hop, ACL and limits as parameters) and how their rows become neighbours.</summary>
public sealed class NeighbourQueryTests
{
    private static readonly SymbolKey Main = new("r", "app.py", "app.main");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NeighborQuery Query(GraphRelation relations, IReadOnlyList<string>? repositories = null, int depth = 1, int cap = 20) =>
        new(relations, cap, 5, repositories, depth);

    private static string Row(string repo, string path, string qname, string kind = "Function", int start = 1, int end = 5) =>
        $$"""{"repo":"{{repo}}","path":"{{path}}","qname":"{{qname}}","name":"x","kind":"{{kind}}","startLine":{{start}},"endLine":{{end}},"parent":null}""";

    private static string Neighbours(params (int Index, string[] Rows)[] rows) =>
        Responses.Query(["i", "neighbours"], [.. rows.Select(r => $"[{r.Index},[{string.Join(",", r.Rows)}]]")]);

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(0)]
    [InlineData(4)]
    public async Task GetNeighbors_DepthOutsideOneToThree_RejectedWithoutRequest(int depth)
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.GetNeighborsAsync([Main], Query(GraphRelation.Callee, depth: depth), Ct));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetNeighbors_NothingReadableNoRelationsOrHiddenOrigin_NoRequest()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());

        Assert.Empty(await index.GetNeighborsAsync([Main], Query(GraphRelation.All, []), Ct));
        Assert.Empty(await index.GetNeighborsAsync([Main], Query(GraphRelation.None), Ct));
        Assert.Empty(await index.GetNeighborsAsync([Main], Query(GraphRelation.All, ["other"]), Ct));
        Assert.Empty(await index.GetNeighborsAsync([], Query(GraphRelation.All), Ct));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_OneHop_ExactParametersAndReadRequest_HiddenRowDroppedAsDefenceInDepth()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Neighbours((0, [Row("r", "lib.py", "lib.helper", start: 3, end: 9), Row("secret", "s.py", "s.api")])));

        var neighbours = await index.GetNeighborsAsync([Main], Query(GraphRelation.Callee, ["r"]), Ct);

        Assert.Equal([new GraphNeighbor(Main, GraphRelation.Callee, new SymbolKey("r", "lib.py", "lib.helper"), SymbolKind.Function, 3, 9, 1)], neighbours);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(Cypher.Callees, request.Json.GetProperty("statement").GetString());
        Assert.Equal(
            RecordedRequest.Canonical(
                """
                {"nodes":[{"i":0,"repo":"r","path":"app.py","qname":"app.main"}],"readable":["r"],"cap":20,"maxCandidates":5,
                 "callKinds":["Method","Function","Constructor","Class","Struct","Record"],"constructibleKinds":["Class","Struct","Record"],
                 "baseKinds":["Class","Interface","Struct","Record"],"typeKinds":["Class","Interface","Struct","Record","Enum"]}
                """),
            RecordedRequest.Canonical(request.Json.GetProperty("parameters").GetRawText()));
        Assert.Equal("Read", request.Json.GetProperty("accessMode").GetString());
        Assert.Equal("FB:x", Assert.Single(request.Json.GetProperty("bookmarks").EnumerateArray().ToList()).GetString());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_ThreeHopsWithCycle_EachHopAsksOnlyForNewFrontierAndOriginIsNeverANeighbour()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        var a = new SymbolKey("r", "m.py", "m.a");
        handler.Respond(Neighbours((0, [Row("r", "m.py", "m.b")])))
            .Respond(Neighbours((0, [Row("r", "m.py", "m.c"), Row("r", "m.py", "m.a")])))
            .Respond(Neighbours((0, [Row("r", "m.py", "m.a")])));

        var neighbours = await index.GetNeighborsAsync([a], Query(GraphRelation.Callee, depth: 3), Ct);

        Assert.Equal([("m.b", 1), ("m.c", 2)], neighbours.Select(n => (n.Neighbor.QualifiedName, n.Depth)));
        Assert.All(neighbours, n => Assert.Equal(a, n.From));
        Assert.Equal(
            ["m.a", "m.b", "m.c"],
            handler.Requests.Select(r => Assert.Single(r.Json.GetProperty("parameters").GetProperty("nodes").EnumerateArray().ToList()).GetProperty("qname").GetString()));
        Assert.All(handler.Requests, r => Assert.Equal(System.Text.Json.JsonValueKind.Null, r.Json.GetProperty("parameters").GetProperty("readable").ValueKind));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SeveralRelations_QueryApiConcurrentRequestsTransactionalOneRequest_ResultsInRelationOrder()
    {
        string Answer(RecordedRequest r) => r.Body.Contains("[:NAMED]", StringComparison.Ordinal) && r.Body.Contains("CALLS_NAME]-(src)", StringComparison.Ordinal)
            ? Neighbours((0, [Row("r", "caller.py", "caller.go")]))
            : Neighbours((0, [Row("r", "lib.py", "lib.helper")]));

        var query = new RecordingHandler();
        using var queryIndex = await Neo4jFixture.CreateAsync(query, Neo4jFixture.Options());
        query.Then((r, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent(Answer(r)) }));
        var viaQuery = await queryIndex.GetNeighborsAsync([Main], Query(GraphRelation.Caller | GraphRelation.Callee), Ct);

        var transactional = new RecordingHandler();
        using var transactionalIndex = await Neo4jFixture.CreateAsync(transactional, Neo4jFixture.Options(transactional: true));
        transactional.Respond(HttpStatusCode.OK, Responses.Transactional(
            (["i", "neighbours"], [$"[0,[{Row("r", "caller.py", "caller.go")}]]"]),
            (["i", "neighbours"], [$"[0,[{Row("r", "lib.py", "lib.helper")}]]"])));
        var viaTransactional = await transactionalIndex.GetNeighborsAsync([Main], Query(GraphRelation.Caller | GraphRelation.Callee), Ct);

        Assert.Equal(2, query.Requests.Count);
        var statements = Assert.Single(transactional.Requests).Json.GetProperty("statements").EnumerateArray().Select(s => s.GetProperty("statement").GetString()).ToList();
        Assert.Equal([Cypher.Callers, Cypher.Callees], statements);
        foreach (var result in (IReadOnlyList<GraphNeighbor>[])[viaQuery, viaTransactional])
        {
            Assert.Equal([(GraphRelation.Caller, "caller.go"), (GraphRelation.Callee, "lib.helper")], result.Select(n => (n.Relation, n.Neighbor.QualifiedName)));
        }
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(2, new[] { "a.py", "b.py" })]
    [InlineData(3, new[] { "a.py", "b.py", "c.py" })]
    [InlineData(9, new[] { "a.py", "b.py", "c.py", "d.py" })]
    public async Task ImportedFiles_PerImportLists_DeduplicatedOwnFileSkippedStopAfterImportReachingCap(int cap, string[] expected)
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        string File(string path) => Row("r", path, string.Empty, "Module");
        handler.Respond(Responses.Query(
            ["i", "neighbours"],
            $"[0,[[{File("app.py")},{File("a.py")},{File("b.py")}],[{File("b.py")},{File("c.py")}],[{File("d.py")}]]]"));

        var neighbours = await index.GetNeighborsAsync([Main], Query(GraphRelation.Imports, cap: cap), Ct);

        Assert.Equal(expected, neighbours.Select(n => n.Neighbor.Path));
        Assert.All(neighbours, n => Assert.Equal((GraphRelation.Imports, string.Empty, SymbolKind.Module), (n.Relation, n.Neighbor.QualifiedName, n.Kind)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ManyOrigins_FrontierSplitIntoBatches_IndexesAreBatchLocal()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 1));
        var other = new SymbolKey("r", "other.py", "other.run");
        handler.Then((r, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            Content = new StringContent(r.Body.Contains("app.main", StringComparison.Ordinal)
                ? Neighbours((0, [Row("r", "p.py", "P")]))
                : Neighbours((0, [Row("r", "q.py", "Q")]))),
        }));

        var neighbours = await index.GetNeighborsAsync([Main, other, Main], Query(GraphRelation.Parent), Ct);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(0, Assert.Single(r.Json.GetProperty("parameters").GetProperty("nodes").EnumerateArray().ToList()).GetProperty("i").GetInt32()));
        Assert.Equal([(Main, "P"), (other, "Q")], neighbours.Select(n => (n.From, n.Neighbor.QualifiedName)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SharedNeighbour_TwoOrigins_ExpandedOnceReportedForEach()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        var other = new SymbolKey("r", "other.py", "other.run");
        handler.Respond(Neighbours((0, [Row("r", "lib.py", "lib.shared")]), (1, [Row("r", "lib.py", "lib.shared")])))
            .Respond(Neighbours((0, [Row("r", "z.py", "z.leaf")])));

        var neighbours = await index.GetNeighborsAsync([Main, other], Query(GraphRelation.Callee, depth: 2), Ct);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(handler.Requests[1].Json.GetProperty("parameters").GetProperty("nodes").EnumerateArray());
        Assert.Equal(
            [(Main, "lib.shared", 1), (Main, "z.leaf", 2), (other, "lib.shared", 1), (other, "z.leaf", 2)],
            neighbours.Select(n => (n.From, n.Neighbor.QualifiedName, n.Depth)));
    }
}
