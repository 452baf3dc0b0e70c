using System.Text.Json.Nodes;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.Storage.Milvus.Tests.MilvusTestSetup;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>The exact requests behind dense, BM25 and hybrid search and chunk lookup, and how their answers are read.</summary>
public sealed class SearchWireTests
{
    private static readonly float[] s_query = [0.5f, 0.5f, 0.5f, 0.5f];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchDense_AclLanguageAndGlob_PushesFiltersDownAndChecksTheGlobAfter()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """
            {"code":0,"cost":0,"data":[
              {"chunk_id":"a","distance":0.99,"path":"src/auth/x.py"},
              {"chunk_id":"b","distance":0.9,"path":"src/auth/sub/y.pyc"},
              {"chunk_id":"c","distance":0.8,"path":"src/auth/z.py"}],"topks":[3]}
            """);
        var index = Index(server);

        var hits = await index.SearchDenseAsync(s_query, 2, new ChunkFilter(["team-a", "o\"dd\\repo"], ["python"], "src/auth/*.py"), Ct);

        Assert.Equal([new ScoredChunk("a", 0.99), new ScoredChunk("c", 0.8)], hits);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","data":[[0.5,0.5,0.5,0.5]],"annsField":"embedding","searchParams":{"params":{"ef":96}},
             "filter":"repo in [\"team-a\", \"o\\\"dd\\\\repo\"] and language in [\"python\"] and path like \"src/auth/%\" and not (embedding_key like \"pending:%\")",
             "limit":64,"outputFields":["path"],"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchDense_NoFilter_OnePageOfKWithoutOutputFields()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a","distance":1.0},{"chunk_id":"b","distance":0.25}]}""");
        var index = Index(server);

        var hits = await index.SearchDenseAsync(s_query, 200, ChunkFilter.None, Ct);

        Assert.Equal([new ScoredChunk("a", 1.0), new ScoredChunk("b", 0.25)], hits);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","data":[[0.5,0.5,0.5,0.5]],"annsField":"embedding","searchParams":{"params":{"ef":200}},
             "filter":"not (embedding_key like \"pending:%\")","limit":200,"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchDense_GlobWithoutPrefixAndFullPage_ReadsTheNextPageAtAnOffset()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var misses = new JsonArray(Enumerable.Range(0, 64).Select(i => (JsonNode)new JsonObject { ["chunk_id"] = $"m{i}", ["distance"] = 0.9, ["path"] = $"src/{i}.py" }).ToArray());
        server.Enqueue("entities/search", new JsonObject { ["code"] = 0, ["data"] = misses }.ToJsonString());
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"m0","distance":0.5,"path":"README.md"},{"chunk_id":"doc","distance":0.4,"path":"docs/README.md"}]}""");
        var index = Index(server);

        var hits = await index.SearchDenseAsync(s_query, 1, new ChunkFilter(null, null, "*README.md"), Ct);

        Assert.Equal([new ScoredChunk("doc", 0.4)], hits);
        var second = JsonNode.Parse(server.DataRequests[1].Body)!;
        Assert.Equal("not (embedding_key like \"pending:%\")", (string?)second["filter"]);
        Assert.Equal(64, (int)second["offset"]!);
        Assert.Equal(128, (int)second["searchParams"]!["params"]!["ef"]!);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchDense_ExactPathAndEmptySets_EqualityFilterOrNoRequest()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[]}""");
        var index = Index(server);

        Assert.Empty(await index.SearchDenseAsync(s_query, 5, new ChunkFilter(null, null, "src/my_mod/a%b.py"), Ct));
        Assert.Empty(await index.SearchDenseAsync(s_query, 5, new ChunkFilter([], null, null), Ct));
        Assert.Empty(await index.SearchDenseAsync(s_query, 5, new ChunkFilter(null, [], null), Ct));
        Assert.Empty(await index.SearchDenseAsync(s_query, 0, ChunkFilter.None, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => index.SearchDenseAsync([1, 0], 5, ChunkFilter.None, Ct));

        Assert.Equal("path == \"src/my_mod/a%b.py\" and not (embedding_key like \"pending:%\")", (string?)JsonNode.Parse(Assert.Single(server.DataRequests).Body)!["filter"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchLexical_Terms_SentJoinedAsBm25TextWithPhrasesAndNoiseDropped()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a","distance":3.25,"path":"src/auth.py"},{"chunk_id":"x","distance":2.5,"path":"lib/x.py"}]}""");
        var index = Index(server);

        var hits = await index.SearchLexicalAsync(["validate_token", "OR", "NEAR(near far)", "validate_token", "\t", "Données"], 5, new ChunkFilter(["r"], null, "src/*"), Ct);

        Assert.Equal([new ScoredChunk("a", 3.25)], hits);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","data":["validate_token or données"],"annsField":"sparse",
             "filter":"repo in [\"r\"] and path like \"src/%\"","limit":64,"outputFields":["path"],"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchLexical_NothingUsable_ReturnsEmptyWithoutAnyRequest()
    {
        var server = new FakeMilvus();
        var index = Index(server);

        Assert.Empty(await index.SearchLexicalAsync([], 5, ChunkFilter.None, Ct));
        Assert.Empty(await index.SearchLexicalAsync(["", "(", "a\"b", "lexical_text:near"], 5, ChunkFilter.None, Ct));

        Assert.Empty(server.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchHybrid_DenseAndBm25_OneRequestWithRrfRanker()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/hybrid_search", """{"code":0,"cost":0,"data":[{"chunk_id":"b","distance":0.0327868852},{"chunk_id":"a","distance":0.0163934426}]}""");
        var index = Index(server);

        var hits = await index.SearchHybridAsync(s_query, ["retry", "http"], 2, new ChunkFilter(["r1"], ["go"], null), rrfK: 60, Ct);

        Assert.Equal(["b", "a"], hits.Select(h => h.ChunkId));
        Assert.True(hits[0].Score > hits[1].Score);
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","search":[
               {"data":[[0.5,0.5,0.5,0.5]],"annsField":"embedding","filter":"repo in [\"r1\"] and language in [\"go\"] and not (embedding_key like \"pending:%\")","limit":2,"params":{"ef":96}},
               {"data":["retry http"],"annsField":"sparse","filter":"repo in [\"r1\"] and language in [\"go\"]","limit":2}],
             "rerank":{"strategy":"rrf","params":{"k":60}},"limit":2,"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchHybrid_NoUsableTerms_FallsBackToDenseSearch()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a","distance":0.7}]}""");
        var index = Index(server);

        var hits = await index.SearchHybridAsync(s_query, ["("], 1, ChunkFilter.None, cancellationToken: Ct);

        Assert.Equal([new ScoredChunk("a", 0.7)], hits);
        Assert.Equal(["entities/search"], server.DataRequests.Select(r => r.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_NestedPerQueryListAndIdField_Read()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[[{"id":"a","distance":0.5},{"id":"b","distance":0.25}]],"topks":[2]}""");
        var index = Index(server);

        var hits = await index.SearchDenseAsync(s_query, 2, ChunkFilter.None, Ct);

        Assert.Equal([new ScoredChunk("a", 0.5), new ScoredChunk("b", 0.25)], hits);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetChunks_RowsWithInt64AsStrings_ReadIntoRecords()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """
            {"code":0,"data":[{"chunk_id":"c1","repo":"r","path":"src/a.py","language":"python","symbol_path":"f","kind":"Function",
              "start_line":"3","end_line":4,"text":"def f(): pass","text_deflated":false,"content_hash":"h-c1","embedding_key":"k-c1",
              "lexical_text":"def f(): pass","signature":""}]}
            """);
        var index = Index(server);

        var chunks = await index.GetChunksAsync(["c1", "missing", "c1"], Ct);

        Assert.Equal(Chunk("c1", "def f(): pass", line: 3), Assert.Single(chunks));
        Fixture.AssertJson(
            """
            {"collectionName":"cgr_chunks","filter":"chunk_id in [\"c1\", \"missing\"]",
             "outputFields":["chunk_id","repo","path","language","symbol_path","kind","start_line","end_line","text","text_deflated",
                             "content_hash","embedding_key","lexical_text","signature","file_class"],
             "limit":16384,"consistencyLevel":"Strong"}
            """,
            Assert.Single(server.DataRequests).Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetSymbolChunks_ThreeFieldFilter_ReturnsLineOrder()
    {
        var server = FakeMilvus.WithLoadedCollection();
        string Row(string id, int line) =>
            $$"""{"chunk_id":"{{id}}","repo":"r","path":"src/a.py","language":"python","symbol_path":"f","kind":"Function","start_line":{{line}},"end_line":{{line + 1}},"text":"t","text_deflated":false,"content_hash":"h-{{id}}","embedding_key":"k-{{id}}","lexical_text":"t","signature":""}""";
        server.Enqueue("entities/query", $$"""{"code":0,"data":[{{Row("late", 30)}},{{Row("early", 10)}}]}""");
        var index = Index(server);

        var chunks = await index.GetSymbolChunksAsync("r", "src/a.py", "f", Ct);

        Assert.Equal(["early", "late"], chunks.Select(c => c.Id));
        Assert.Equal(
            "repo == \"r\" and path == \"src/a.py\" and symbol_path == \"f\"",
            (string?)JsonNode.Parse(Assert.Single(server.DataRequests).Body)!["filter"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMentionedFilesChunks_QueriesByFileNameThenByResolvedFile()
    {
        var server = FakeMilvus.WithLoadedCollection();
        string Row(string id, int line) =>
            $$"""{"chunk_id":"{{id}}","repo":"r","path":"requests/my_models.py","language":"python","symbol_path":"f","kind":"Function","start_line":{{line}},"end_line":{{line + 1}},"text":"t","text_deflated":false,"content_hash":"h-{{id}}","embedding_key":"k-{{id}}","lexical_text":"t","signature":""}""";

        // "_" is a LIKE wildcard, so the server may answer with requests/myXmodels.py too: the file name is compared exactly.
        server.Enqueue("entities/query", """
            {"code":0,"data":[
              {"chunk_id":"1","repo":"r","path":"requests/my_models.py"},{"chunk_id":"2","repo":"r","path":"requests/my_models.py"},
              {"chunk_id":"3","repo":"r","path":"docs/my_models.py"},{"chunk_id":"4","repo":"r","path":"requests/myXmodels.py"}]}
            """);
        server.Enqueue("entities/query", $$"""{"code":0,"data":[{{Row("late", 30)}},{{Row("early", 10)}}]}""");
        var index = Index(server);

        var chunks = await index.GetMentionedFilesChunksAsync(["/venv/site-packages/requests/my_models.py", "..\\requests\\my_models.py"], ["r"], 3, Ct);

        Assert.Equal(["early", "late"], chunks.Select(c => c.Id));
        var requests = server.DataRequests.Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("repo in [\"r\"] and (path == \"my_models.py\" or path like \"%/my_models.py\")", (string?)requests[0]["filter"]);
        Assert.Equal(["chunk_id", "repo", "path"], requests[0]["outputFields"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("repo == \"r\" and path == \"requests/my_models.py\"", (string?)requests[1]["filter"]);
        Assert.Empty(await index.GetMentionedFilesChunksAsync(["my_models.py"], [], 3, Ct));
        Assert.Equal(2, server.DataRequests.Count);
    }
}
