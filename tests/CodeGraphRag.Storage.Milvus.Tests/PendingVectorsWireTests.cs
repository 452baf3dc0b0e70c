using System.Text;
using System.Text.Json.Nodes;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus.Internals;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.Storage.Milvus.Tests.MilvusTestSetup;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>
/// The exact requests behind chunks written before their vectors: placeholder rows marked by their embedding key, dense
/// search leaving them out, the backlog read, counted and completed.
/// </summary>
public sealed class PendingVectorsWireTests
{
    private const string NotPending = "not (embedding_key like \"pending:%\")";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceVectorsFollow_NewKeptRekeyedAndStillPending_PlaceholdersOnlyWhereNoVectorExists()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """
            {"code":0,"data":[{"chunk_id":"kept","embedding_key":"k-kept"},{"chunk_id":"rekeyed","embedding_key":"k-old"},
                              {"chunk_id":"waiting","embedding_key":"pending:k-waiting"},{"chunk_id":"gone","embedding_key":"k-gone"}]}
            """);
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"kept","embedding":[0,1,0,0]}]}""");
        server.Enqueue("entities/upsert", """{"code":0,"data":{"upsertCount":5}}""");
        server.Enqueue("entities/delete", """{"code":0,"data":{"deleteCount":1}}""");
        var index = Index(server);
        var chunks = new[] { Chunk("kept", "a"), Chunk("rekeyed", "b", line: 3), Chunk("waiting", "c", line: 5), Chunk("new", "d", line: 7), Chunk("given", "e", line: 9) };

        await index.ReplaceFileChunksVectorsFollowAsync("r", "src/a.py", chunks, Vectors(("given", [0, 0, 1, 0])), Ct);

        Assert.True(index.SupportsPendingVectors);
        var requests = server.DataRequests;
        Assert.Equal(["entities/query", "entities/query", "entities/upsert", "entities/delete"], requests.Select(r => r.Path));
        Assert.Equal("chunk_id in [\"kept\"]", (string?)JsonNode.Parse(requests[1].Body)!["filter"]);
        var rows = JsonNode.Parse(requests[2].Body)!["data"]!.AsArray().ToDictionary(r => (string)r!["chunk_id"]!, r => r!);
        Assert.Equal("k-kept", (string?)rows["kept"]["embedding_key"]);
        Assert.Equal([0f, 1, 0, 0], Vector(rows["kept"]));
        Assert.Equal("k-given", (string?)rows["given"]["embedding_key"]);
        Assert.Equal([0f, 0, 1, 0], Vector(rows["given"]));
        foreach (var id in new[] { "rekeyed", "waiting", "new" })
        {
            Assert.Equal("pending:k-" + id, (string?)rows[id]["embedding_key"]);
            Assert.Equal(ChunkRows.PendingVector(id, 4), Vector(rows[id]));
        }

        Fixture.AssertJson("""{"collectionName":"cgr_chunks","filter":"chunk_id in [\"gone\"]"}""", requests[3].Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceWithoutVectorsFollow_PendingStoredKey_IsNoVectorToReuse()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","embedding_key":"pending:k-c1"}]}""");
        var index = Index(server);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceFileChunksAsync("r", "src/a.py", [Chunk("c1", "x")], Vectors(), Ct));

        Assert.Contains("c1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["entities/query"], server.DataRequests.Select(r => r.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetEmbeddingKeys_PendingRows_LeftOut()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","embedding_key":"k-c1"},{"chunk_id":"c2","embedding_key":"pending:k-c2"}]}""");
        var index = Index(server);

        var keys = await index.GetEmbeddingKeysAsync("r", "src/a.py", Ct);

        Assert.Equal(new Dictionary<string, string> { ["c1"] = "k-c1" }, keys);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CountAwaiting_OneCountQueryWithoutLimit_ReadsTheServersCount()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"cost":0,"data":[{"count(*)":1234}]}""");
        var index = Index(server);

        Assert.Equal(1234, await index.CountChunksAwaitingVectorsAsync("team \"a\"", Ct));

        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","filter":"repo == \"team \\\"a\\\"\" and embedding_key like \"pending:%\"",
             "outputFields":["count(*)"],"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("""{"code":0,"data":[]}""")]
    [InlineData("""{"code":0,"data":[{"chunk_id":"x"}]}""")]
    [InlineData("""{"code":0,"data":[{"count(*)":-1}]}""")]
    [InlineData("""{"code":0,"data":[{"count(*)":"many"}]}""")]
    public async Task CountAwaiting_MalformedAnswer_MilvusErrorNamingTheOperation(string answer)
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", answer);
        var index = Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.CountChunksAwaitingVectorsAsync("r", Ct));

        Assert.Contains("CountChunksAwaitingVectors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetAwaiting_OnePageOfTheLimit_RecordsCarryTheKeyTheirVectorIsFor()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var waiting = Chunk("c1", "def f(): pass");
        server.Enqueue("entities/query", new JsonObject { ["code"] = 0, ["data"] = new JsonArray(PendingRow(waiting), PendingRow(Chunk("c2", "y", line: 4))) }.ToJsonString());
        var index = Index(server);

        var chunks = await index.GetChunksAwaitingVectorsAsync("r", 2, Ct);

        Assert.Equal([waiting, Chunk("c2", "y", line: 4)], chunks);
        var request = JsonNode.Parse(Assert.Single(server.DataRequests).Body)!;
        Assert.Equal("repo == \"r\" and embedding_key like \"pending:%\"", (string?)request["filter"]);
        Assert.Equal(2, (int)request["limit"]!);
        Assert.Empty(await index.GetChunksAwaitingVectorsAsync("r", 0, Ct));
        Assert.Single(server.DataRequests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SetVectors_OnlyRowsStillPendingForTheVectorsKey_RewrittenWithTheVector()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var match = Chunk("c1", "def f(): pass");
        var changed = Chunk("c2", "def g(): pass", line: 4) with { EmbeddingKey = "k-newer" };
        server.Enqueue("entities/query", new JsonObject { ["code"] = 0, ["data"] = new JsonArray(PendingRow(match), PendingRow(changed)) }.ToJsonString());
        server.Enqueue("entities/upsert", """{"code":0,"data":{"upsertCount":1}}""");
        var index = Index(server);

        var stored = await index.SetVectorsAsync(
            "r",
            [new ChunkVector("c1", "k-c1", [1, 0, 0, 0]), new ChunkVector("c2", "k-c2", [0, 1, 0, 0]), new ChunkVector("deleted", "k-deleted", [0, 0, 1, 0])],
            Ct);

        Assert.Equal(1, stored);
        var requests = server.DataRequests;
        Assert.Equal(
            "repo == \"r\" and chunk_id in [\"c1\", \"c2\", \"deleted\"] and embedding_key like \"pending:%\"",
            (string?)JsonNode.Parse(requests[0].Body)!["filter"]);
        var row = Assert.Single(JsonNode.Parse(requests[1].Body)!["data"]!.AsArray())!;
        Assert.Equal("c1", (string?)row["chunk_id"]);
        Assert.Equal("k-c1", (string?)row["embedding_key"]);
        Assert.Equal("def f(): pass", (string?)row["text"]);
        Assert.Equal([1f, 0, 0, 0], Vector(row));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SetVectors_WrongLengthOrNothing_NoRequest()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var index = Index(server);

        await Assert.ThrowsAsync<ArgumentException>(() => index.SetVectorsAsync("r", [new ChunkVector("c1", "k-c1", [1, 0, 0])], Ct));
        Assert.Equal(0, await index.SetVectorsAsync("r", [], Ct));

        Assert.Empty(server.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_DenseAndHybridDenseLeg_LeaveOutPendingRows_Bm25FindsThem()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Default("entities/search", """{"code":0,"data":[]}""");
        server.Default("entities/hybrid_search", """{"code":0,"data":[]}""");
        var index = Index(server);
        float[] query = [0.5f, 0.5f, 0.5f, 0.5f];

        await index.SearchDenseAsync(query, 5, new ChunkFilter(["r"], null, null), Ct);
        await index.SearchLexicalAsync(["token"], 5, new ChunkFilter(["r"], null, null), Ct);
        await index.SearchHybridAsync(query, ["token"], 5, ChunkFilter.None, cancellationToken: Ct);

        var searches = server.To("entities/search").Select(r => (string?)JsonNode.Parse(r.Body)!["filter"]).ToList();
        Assert.Equal(["repo in [\"r\"] and " + NotPending, "repo in [\"r\"]"], searches);
        var legs = JsonNode.Parse(Assert.Single(server.To("entities/hybrid_search")).Body)!["search"]!.AsArray();
        Assert.Equal(NotPending, (string?)legs[0]!["filter"]);
        Assert.Null(legs[1]!["filter"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_MadeBeforeThePendingMarker_GetsOnlyTheEmbeddingKeyIndex()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var description = Fixture.Node("describe-collection.response.json");
        var indexes = description["data"]!["indexes"]!.AsArray();
        indexes.Remove(indexes.Single(i => (string?)i!["fieldName"] == "embedding_key"));
        server.Enqueue("collections/describe", description.ToJsonString());
        server.Enqueue("indexes/create", """{"code":0,"data":{}}""");
        var index = Index(server);

        await index.EnsureCollectionAsync(Ct);

        Fixture.AssertJson(
            """{"collectionName":"cgr_chunks","indexParams":[{"fieldName":"embedding_key","indexName":"embedding_key_idx","indexType":"INVERTED"}]}""",
            Assert.Single(server.To("indexes/create")).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void PendingVector_UnitLengthSameForAnIdSpreadAcrossIds()
    {
        var a = ChunkRows.PendingVector("chunk-a", 384);
        var b = ChunkRows.PendingVector("chunk-b", 384);

        Assert.Equal(a, ChunkRows.PendingVector("chunk-a", 384));
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 5);
        Assert.Equal(1.0, Math.Sqrt(b.Sum(x => (double)x * x)), 5);

        // Random directions in 384 dimensions are nearly orthogonal: no two placeholders crowd one spot of the graph.
        Assert.InRange(a.Zip(b).Sum(p => (double)p.First * p.Second), -0.25, 0.25);
    }

    private static JsonNode PendingRow(ChunkRecord chunk)
    {
        var row = JsonNode.Parse(Encoding.UTF8.GetString(ChunkRows.Serialize(chunk with { EmbeddingKey = ChunkRows.PendingKey(chunk.EmbeddingKey) }, ChunkRows.PendingVector(chunk.Id, 4))))!.AsObject();
        row.Remove("embedding");
        return row;
    }

    private static float[] Vector(JsonNode row) => row["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
}
