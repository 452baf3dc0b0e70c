using System.Text.Json.Nodes;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>Startup: create (schema, explicit indexes, load) or validate an existing collection.</summary>
public sealed class EnsureCollectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_Missing_CreatesSchemaThenIndexesThenLoadsAndWaits()
    {
        var server = new FakeMilvus();
        server.Enqueue("collections/has", """{"code":0,"data":{"has":false}}""");
        server.Enqueue("collections/create", """{"code":0,"data":{}}""");
        server.Enqueue("indexes/create", """{"code":0,"data":{}}""");
        server.Enqueue("collections/get_load_state", """{"code":0,"data":{"loadState":"LoadStateNotLoad"}}""");
        server.Enqueue("collections/load", """{"code":0,"data":{}}""");
        server.Enqueue("collections/get_load_state", """{"code":0,"data":{"loadState":"LoadStateLoading","loadProgress":40}}""");
        server.Enqueue("collections/get_load_state", """{"code":0,"data":{"loadState":"LoadStateLoaded","loadProgress":100}}""");
        var index = MilvusTestSetup.Index(server);

        await index.EnsureCollectionAsync(Ct);

        var requests = server.Requests;
        Assert.Equal(
            ["collections/has", "collections/create", "indexes/create", "collections/get_load_state", "collections/load", "collections/get_load_state", "collections/get_load_state"],
            requests.Select(r => r.Path));
        Assert.All(requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("Bearer root:Milvus", r.Authorization);
            Assert.Equal("30", r.RequestTimeout);
            Assert.Equal("application/json", r.ContentType);
        });
        Fixture.AssertJson("""{"collectionName":"cgr_chunks"}""", requests[0].Body);
        Fixture.AssertJson(Fixture.Read("create-collection.request.json"), requests[1].Body);
        Fixture.AssertJson(Fixture.Read("create-indexes.request.json"), requests[2].Body);
        Fixture.AssertJson("""{"collectionName":"cgr_chunks"}""", requests[4].Body);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_ExistingMatchingAndLoaded_OnlyDescribesAndRunsOnce()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var index = MilvusTestSetup.Index(server);

        await Task.WhenAll(index.EnsureCollectionAsync(Ct), index.EnsureCollectionAsync(Ct));
        await index.EnsureCollectionAsync(Ct);

        Assert.Equal(["collections/has", "collections/describe", "collections/get_load_state"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_DatabaseAndAutoIndex_SendsDbNameAndNoHnswParams()
    {
        var server = new FakeMilvus();
        server.Enqueue("collections/has", """{"code":0,"data":{"has":false}}""");
        server.Enqueue("collections/create", """{"code":0,"data":{}}""");
        server.Enqueue("indexes/create", """{"code":0,"data":{}}""");
        server.Enqueue("collections/get_load_state", """{"code":0,"data":{"loadState":"LoadStateLoaded"}}""");
        var index = MilvusTestSetup.Index(server, o =>
        {
            o.Database = "code";
            o.IndexType = "AUTOINDEX";
            o.Token = null;
        });

        await index.EnsureCollectionAsync(Ct);

        Assert.All(server.Requests, r => Assert.Null(r.Authorization));
        Assert.StartsWith("""{"dbName":"code","collectionName":"cgr_chunks",""", server.To("collections/create")[0].Body, StringComparison.Ordinal);
        var indexes = JsonNode.Parse(server.To("indexes/create")[0].Body)!;
        Assert.Equal("code", (string?)indexes["dbName"]);
        Fixture.AssertJson(
            """{"fieldName":"embedding","indexName":"embedding_idx","metricType":"COSINE","indexType":"AUTOINDEX"}""",
            indexes["indexParams"]![0]!.ToJsonString());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_ExistingWithoutIndexes_CreatesOnlyTheMissingOnes()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var description = Fixture.Node("describe-collection.response.json");
        var indexes = description["data"]!["indexes"]!.AsArray();
        indexes.RemoveAt(3);
        indexes.RemoveAt(0);
        server.Enqueue("collections/describe", description.ToJsonString());
        server.Enqueue("indexes/create", """{"code":0,"data":{}}""");
        var index = MilvusTestSetup.Index(server);

        await index.EnsureCollectionAsync(Ct);

        var body = JsonNode.Parse(server.To("indexes/create")[0].Body)!;
        Assert.Equal(["embedding", "path"], body["indexParams"]!.AsArray().Select(i => (string?)i!["fieldName"]));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_CreateRacesAnotherProcess_ValidatesTheWinnersCollection()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("collections/has", """{"code":0,"data":{"has":false}}""");
        server.Enqueue("collections/create", """{"code":65535,"message":"collection already exists: cgr_chunks"}""");
        var index = MilvusTestSetup.Index(server);

        await index.EnsureCollectionAsync(Ct);

        Assert.Equal(
            ["collections/has", "collections/create", "collections/has", "collections/describe", "collections/get_load_state"],
            server.Requests.Select(r => r.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_CreateRejected_SurfacesTheServersReason()
    {
        var server = new FakeMilvus();
        server.Default("collections/has", """{"code":0,"data":{"has":false}}""");
        server.Enqueue("collections/create", """{"code":1100,"message":"invalid parameter: function type BM25 is not supported"}""");
        var index = MilvusTestSetup.Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.EnsureCollectionAsync(Ct));

        Assert.Equal(1100, error.Code);
        Assert.Contains("BM25 is not supported", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Path == "collections/describe");
    }

    public static TheoryData<string, string[]> Mismatches => new()
    {
        { "dimension", ["field 'embedding'", "expected dimension 4", "found dimension 768"] },
        { "pk-type", ["field 'chunk_id'", "expected VarChar", "found Int64"] },
        { "partition-key", ["field 'repo'", "expected the partition key", "found not the partition key"] },
        { "missing-field", ["field 'lexical_text'", "expected a VarChar field", "found no such field"] },
        { "no-bm25", ["field 'sparse'", "BM25 function over 'lexical_text'", "found no such function"] },
        { "metric", ["field 'embedding'", "metric COSINE", "found metric L2"] },
        { "model", ["vectors of model 'test-model@1'", "found vectors of model 'other-model@2'"] },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_MismatchedSchema_RefusesNamingCollectionFieldExpectedAndActual(string change, string[] expectedParts)
    {
        var server = FakeMilvus.WithLoadedCollection();
        var description = Fixture.Node("describe-collection.response.json");
        var data = description["data"]!;
        var fields = data["fields"]!.AsArray();
        JsonNode Field(string name) => fields.Single(f => (string?)f!["name"] == name)!;
        switch (change)
        {
            case "dimension":
                Field("embedding")["params"]![0]!["value"] = "768";
                break;
            case "pk-type":
                Field("chunk_id")["type"] = "Int64";
                break;
            case "partition-key":
                Field("repo")["partitionKey"] = false;
                break;
            case "missing-field":
                fields.Remove(Field("lexical_text"));
                break;
            case "no-bm25":
                data["functions"] = new JsonArray();
                break;
            case "metric":
                data["indexes"]![0]!["metricType"] = "L2";
                break;
            case "model":
                data["description"] = "CodeGraphRag chunks; model=other-model@2";
                break;
        }

        server.Enqueue("collections/describe", description.ToJsonString());
        var index = MilvusTestSetup.Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.EnsureCollectionAsync(Ct));

        Assert.Equal("EnsureCollection", error.Operation);
        Assert.Equal("cgr_chunks", error.Collection);
        Assert.Contains("'cgr_chunks'", error.Message, StringComparison.Ordinal);
        Assert.All(expectedParts, part => Assert.Contains(part, error.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Requests, r => r.Path is "collections/create" or "indexes/create" or "collections/load");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_V1StyleTypesAndNumericFunctionType_Accepted()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var description = Fixture.Node("describe-collection.response.json");
        var embedding = description["data"]!["fields"]!.AsArray().Single(f => (string?)f!["name"] == "embedding")!.AsObject();
        embedding.Remove("params");
        embedding["type"] = "FloatVector(4)";
        description["data"]!["functions"]![0]!["type"] = 1;
        server.Enqueue("collections/describe", description.ToJsonString());
        var index = MilvusTestSetup.Index(server);

        await index.EnsureCollectionAsync(Ct);

        Assert.Single(server.To("collections/describe"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureCollection_FailsOnce_NextCallRetriesFromScratch()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("collections/has", """{"code":1100,"message":"invalid parameter"}""");
        var index = MilvusTestSetup.Index(server);

        await Assert.ThrowsAsync<MilvusException>(() => index.EnsureCollectionAsync(Ct));
        await index.EnsureCollectionAsync(Ct);

        Assert.Equal(2, server.To("collections/has").Count);
    }
}
