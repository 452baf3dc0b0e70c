using System.Text.Json.Nodes;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.Storage.Milvus.Tests.MilvusTestSetup;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>The exact requests behind the write side: file replacement, removals, embedding keys.</summary>
public sealed class WriteWireTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceFileChunks_KeptNewAndObsoleteChunks_QueriesKeysFetchesVectorsUpsertsThenDeletes()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"cost":0,"data":[{"chunk_id":"c1","embedding_key":"k-c1"},{"chunk_id":"c9","embedding_key":"k-c9"}]}""");
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","embedding":[0.5,0.5,0.5,0.5]}]}""");
        server.Enqueue("entities/upsert", """{"code":0,"cost":0,"data":{"upsertCount":2,"upsertIds":["c1","c2"]}}""");
        server.Enqueue("entities/delete", """{"code":0,"cost":0,"data":{"deleteCount":1}}""");
        var index = Index(server);
        var kept = Chunk("c1", "def f(): pass", line: 40);
        var added = Chunk("c2", "def g(): return \"x\"", line: 50) with { Signature = "def g()" };

        await index.ReplaceFileChunksAsync("r", "src/a.py", [kept, added], Vectors(("c2", [1, 0, -0.25f, 0.125f])), Ct);

        var requests = server.DataRequests;
        Assert.Equal(["entities/query", "entities/query", "entities/upsert", "entities/delete"], requests.Select(r => r.Path));
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","filter":"repo == \"r\" and path == \"src/a.py\"",
             "outputFields":["chunk_id","embedding_key"],"limit":16384,"consistencyLevel":"Strong"}
            """,
            requests[0].Body);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","filter":"chunk_id in [\"c1\"]","outputFields":["chunk_id","embedding"],"limit":256,"consistencyLevel":"Strong"}
            """,
            requests[1].Body);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","data":[
              {"chunk_id":"c1","repo":"r","path":"src/a.py","language":"python","symbol_path":"f","kind":"Function",
               "start_line":40,"end_line":41,"text":"def f(): pass","text_deflated":false,"content_hash":"h-c1","embedding_key":"k-c1",
               "lexical_text":"def f(): pass","signature":"","file_class":"code","embedding":[0.5,0.5,0.5,0.5]},
              {"chunk_id":"c2","repo":"r","path":"src/a.py","language":"python","symbol_path":"f","kind":"Function",
               "start_line":50,"end_line":51,"text":"def g(): return \"x\"","text_deflated":false,"content_hash":"h-c2","embedding_key":"k-c2",
               "lexical_text":"def g(): return \"x\"","signature":"def g()","file_class":"code","embedding":[1,0,-0.25,0.125]}]}
            """,
            requests[2].Body);
        Fixture.AssertJson("""{"collectionName":"cgr_chunks","filter":"chunk_id in [\"c9\"]"}""", requests[3].Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceFileChunks_NewChunkWithoutVector_ThrowsBeforeAnyWrite()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","embedding_key":"k-old"}]}""");
        var index = Index(server);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            index.ReplaceFileChunksAsync("r", "src/a.py", [Chunk("c1", "def f(): pass")], Vectors(), Ct));

        Assert.Contains("c1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["entities/query"], server.DataRequests.Select(r => r.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceFileChunks_InvalidUpdates_RejectedWithoutRequests()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var index = Index(server);
        var chunk = Chunk("c1", "x");

        await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceFileChunksAsync("r", "other.py", [chunk], Vectors(("c1", [1, 0, 0, 0])), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceFileChunksAsync("r", "src/a.py", [chunk, chunk], Vectors(("c1", [1, 0, 0, 0])), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceFileChunksAsync("r", "src/a.py", [chunk], Vectors(("c1", [1, 0, 0])), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceFileChunksAsync("r", "src/a.py", [chunk], Vectors(("c1", [1, 0, 0, 0]), ("zz", [1, 0, 0, 0])), Ct));

        Assert.Empty(server.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceFileChunks_ManyRows_SplitIntoBatchesUnderRowAndByteLimits()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Default("entities/query", """{"code":0,"data":[]}""");
        server.Default("entities/upsert", """{"code":0,"data":{}}""");
        var index = Index(server, o =>
        {
            o.MaxBatchRows = 2;
            o.MaxRequestBytes = 64 * 1024;
        });
        var small = Enumerable.Range(0, 5).Select(i => Chunk($"s{i}", $"def s{i}(): pass", path: "a.py")).ToList();
        var big = Enumerable.Range(0, 3).Select(i => Chunk($"b{i}", new string((char)('a' + i), 40_000), path: "b.py")).ToList();

        await index.ReplaceFileChunksAsync("r", "a.py", small, small.ToDictionary(c => c.Id, _ => new float[] { 1, 0, 0, 0 }), Ct);
        await index.ReplaceFileChunksAsync("r", "b.py", big, big.ToDictionary(c => c.Id, _ => new float[] { 1, 0, 0, 0 }), Ct);

        var batches = server.To("entities/upsert").Select(r => JsonNode.Parse(r.Body)!["data"]!.AsArray().Select(row => (string?)row!["chunk_id"]).ToArray()).ToList();
        Assert.Equal([["s0", "s1"], ["s2", "s3"], ["s4"], ["b0"], ["b1"], ["b2"]], batches);
        Assert.All(server.To("entities/upsert"), r => Assert.True(r.Body.Length < 2 * 64 * 1024));
        Assert.Empty(server.To("entities/delete"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReplaceFileChunks_HugeText_StoredDeflatedAndReadBackIntact()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[]}""");
        server.Enqueue("entities/upsert", """{"code":0,"data":{"upsertCount":1}}""");
        var index = Index(server);
        var text = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 40_000)) + "needle_in_haystack";
        var chunk = Chunk("big", text) with { LexicalText = text };

        await index.ReplaceFileChunksAsync("r", "src/a.py", [chunk], Vectors(("big", [1, 0, 0, 0])), Ct);

        var row = JsonNode.Parse(server.To("entities/upsert")[0].Body)!["data"]![0]!.AsObject();
        Assert.True((bool)row["text_deflated"]!);
        Assert.True(((string)row["text"]!).Length < 65_535);
        Assert.Equal("lorem ipsum dolor sit amet needle_in_haystack", (string?)row["lexical_text"]);
        row.Remove("embedding");
        server.Enqueue("entities/query", new JsonObject { ["code"] = 0, ["data"] = new JsonArray(row.DeepClone()) }.ToJsonString());
        var stored = Assert.Single(await index.GetChunksAsync(["big"], Ct));
        Assert.Equal(text, stored.Text);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RemoveFilesAndRepository_EscapedValues_DeleteByFilter()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Default("entities/delete", """{"code":0,"data":{}}""");
        var index = Index(server);

        await index.RemoveFilesAsync("team \"a\"", ["src/x.py", "dir\\with\\back slash.py", "src/x.py"], Ct);
        await index.RemoveFilesAsync("r", [], Ct);
        await index.RemoveRepositoryAsync("line\nbreak", Ct);

        var deletes = server.To("entities/delete");
        Assert.Equal(2, deletes.Count);
        Fixture.AssertJson(
            """{"collectionName":"cgr_chunks","filter":"repo == \"team \\\"a\\\"\" and path in [\"src/x.py\", \"dir\\\\with\\\\back slash.py\"]"}""",
            deletes[0].Body);
        Fixture.AssertJson("""{"collectionName":"cgr_chunks","filter":"repo == \"line\\nbreak\""}""", deletes[1].Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetEmbeddingKeys_FullPage_ContinuesAfterTheLastPrimaryKey()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var page = new JsonArray(Enumerable.Range(0, 16_384).Select(i => (JsonNode)new JsonObject { ["chunk_id"] = $"id{i:D5}", ["embedding_key"] = "k" }).ToArray());
        server.Enqueue("entities/query", new JsonObject { ["code"] = 0, ["data"] = page }.ToJsonString());
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"zz","embedding_key":"last"}]}""");
        var index = Index(server);

        var keys = await index.GetEmbeddingKeysAsync("r", "big.py", Ct);

        Assert.Equal(16_385, keys.Count);
        Assert.Equal("last", keys["zz"]);
        Assert.Equal(
            """(repo == "r" and path == "big.py") and chunk_id > "id16383" """.TrimEnd(),
            (string?)JsonNode.Parse(server.To("entities/query")[1].Body)!["filter"]);
    }
}
