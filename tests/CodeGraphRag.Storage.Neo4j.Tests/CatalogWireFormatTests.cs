using System.Net;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>Catalog requests and the parsing of both row formats, typed JSON and 64-bit integers.</summary>
public sealed class CatalogWireFormatTests
{
    private const string RepositoryColumns =
        "r.name AS name, r.source AS source, r.revision AS revision, r.lastSyncStarted AS lastSyncStarted, r.lastSyncCompleted AS lastSyncCompleted, r.readGroups AS readGroups";

    private const string FileColumns =
        "f.path AS path, f.language AS language, f.contentHash AS contentHash, f.size AS size, f.pipelineVersion AS pipelineVersion, f.status AS status, f.reason AS reason, f.chunkCount AS chunkCount, f.class AS class";

    private static readonly string[] RepositoryFields = ["name", "source", "revision", "lastSyncStarted", "lastSyncCompleted", "readGroups"];

    private static readonly string[] FileFields = ["path", "language", "contentHash", "size", "pipelineVersion", "status", "reason", "chunkCount", "class"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task UpsertRepository_ExactStatementAndParameters()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(["name", "ok"], """["acme",1]"""));
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        await index.UpsertRepositoryAsync(new RepositoryInfo("acme", "https://git.example/acme.git", "abc123", started, null, ["team-a", "team-b"]), Ct);

        Assert.Equal(
            RecordedRequest.Canonical(
                """
                {"statement":"MERGE (r:Repository {name: $name}) SET r += $properties RETURN r.name AS name, 1 AS ok",
                 "parameters":{"name":"acme","properties":{"source":"https://git.example/acme.git","revision":"abc123",
                   "lastSyncStarted":"2026-01-02T03:04:05.0000000+02:00","lastSyncCompleted":null,"readGroups":["team-a","team-b"]}}}
                """),
            Assert.Single(handler.Requests).CanonicalBody);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task UpsertRepository_NoReadGroups_SentAsNullNotAnUntypedEmptyListAndReadBackEmpty()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(["name", "ok"], """["open",1]"""))
            .Respond(Responses.Query(RepositoryFields, """["open","/src/open",null,null,null,null]"""));

        await index.UpsertRepositoryAsync(new RepositoryInfo("open", "/src/open", null, null, null, []), Ct);
        var stored = await index.GetRepositoryAsync("open", Ct);

        Assert.Equal(
            System.Text.Json.JsonValueKind.Null,
            handler.Requests[0].Json.GetProperty("parameters").GetProperty("properties").GetProperty("readGroups").ValueKind);
        Assert.Empty(stored!.ReadGroups);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetRepository_QueryApiRow_ReadRequestAndAllFieldsParsed()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(RepositoryFields, """["acme","/src/acme",null,"2026-01-02T03:04:05.0000000+02:00",null,["team"]]"""));

        var repository = await index.GetRepositoryAsync("acme", Ct);

        Assert.Equal(
            RecordedRequest.Canonical($$$"""{"statement":"MATCH (r:Repository {name: $name}) RETURN {{{RepositoryColumns}}}","parameters":{"name":"acme"},"accessMode":"Read","bookmarks":["FB:x"]}"""),
            Assert.Single(handler.Requests).CanonicalBody);
        Assert.NotNull(repository);
        Assert.Equal(("acme", "/src/acme", (string?)null), (repository.Name, repository.Source, repository.Revision));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), repository.LastSyncStarted);
        Assert.Null(repository.LastSyncCompleted);
        Assert.Equal(["team"], repository.ReadGroups);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetRepository_NoRow_ReturnsNull()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(RepositoryFields));

        Assert.Null(await index.GetRepositoryAsync("missing", Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ListRepositories_TransactionalRowFormat_ParsedInNameOrder()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true));
        handler.Respond(HttpStatusCode.OK, Responses.Transactional((RepositoryFields, [
            """["b","/src/b","r2",null,"2026-01-02T00:00:00.0000000+00:00",[]]""",
            """["a","/src/a",null,null,null,["x","y"]]""",
        ])));

        var repositories = await index.ListRepositoriesAsync(Ct);

        Assert.Equal(
            RecordedRequest.Canonical($$$"""{"statements":[{"statement":"MATCH (r:Repository) RETURN {{{RepositoryColumns}}} ORDER BY name","parameters":{}}]}"""),
            Assert.Single(handler.Requests).CanonicalBody);
        Assert.Equal(["a", "b"], repositories.Select(r => r.Name));
        Assert.Equal(["x", "y"], repositories[0].ReadGroups);
        Assert.Empty(repositories[1].ReadGroups);
        Assert.Equal("r2", repositories[1].Revision);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), repositories[1].LastSyncCompleted);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetManifest_Int64BeyondDoubleAndTypedJson_ParsedExactly()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(
            FileFields,
            """["big.bin",null,"h1",9007199254740993,"p1","Skipped","too-large",0,"config"]""",
            """[{"$type":"String","_value":"typed.py"},{"$type":"String","_value":"python"},"h2",{"$type":"Integer","_value":"9223372036854775807"},"p1",{"$type":"String","_value":"Indexed"},{"$type":"Null","_value":null},{"$type":"Integer","_value":"3"},{"$type":"String","_value":"test"}]""",
            """["float.py","python","h3",12.0,"p1","Failed","boom",0,null]"""));

        var manifest = await index.GetManifestAsync("r", Ct);

        Assert.Equal(
            RecordedRequest.Canonical($$$"""{"statement":"MATCH (f:File {repo: $repo}) RETURN {{{FileColumns}}} ORDER BY path","parameters":{"repo":"r"},"accessMode":"Read","bookmarks":["FB:x"]}"""),
            Assert.Single(handler.Requests).CanonicalBody);
        Assert.Equal(new FileRecord("r", "big.bin", null, "h1", 9007199254740993L, "p1", FileStatus.Skipped, "too-large", 0, FileClass.Config), manifest["big.bin"]);
        Assert.Equal(new FileRecord("r", "typed.py", "python", "h2", long.MaxValue, "p1", FileStatus.Indexed, null, 3, FileClass.Test), manifest["typed.py"]);
        Assert.Equal(12L, manifest["float.py"].Size);
        Assert.Equal(FileClass.Code, manifest["float.py"].Class);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetFile_FlatValuesShapeOfOlderDocs_ParsedAsRows()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond("""{"data":{"fields":["path","language","contentHash","size","pipelineVersion","status","reason","chunkCount","class"],"values":["a.py","python","h",10,"p1","Indexed",null,2,"code"]}}""");

        var file = await index.GetFileAsync("r", "a.py", Ct);

        Assert.Equal(
            RecordedRequest.Canonical($$$"""{"statement":"MATCH (f:File {repo: $repo, path: $path}) RETURN {{{FileColumns}}}","parameters":{"repo":"r","path":"a.py"},"accessMode":"Read","bookmarks":["FB:x"]}"""),
            Assert.Single(handler.Requests).CanonicalBody);
        Assert.Equal(new FileRecord("r", "a.py", "python", "h", 10, "p1", FileStatus.Indexed, null, 2), file);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetStats_QueryApi_TwoConcurrentReadsAggregatedLikeTheEmbeddedStore()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Then((request, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            Content = new StringContent(request.Body.Contains("count(*) AS files", StringComparison.Ordinal)
                ? Responses.Query(
                    ["status", "reason", "language", "files", "chunks", "symbols", "refs"],
                    """["Indexed",null,"python",2,5,10,7]""",
                    """["Indexed",null,"go",1,1,2,1]""",
                    """["Indexed",null,null,1,0,0,0]""",
                    """["Skipped","binary",null,3,0,0,0]""",
                    """["Skipped",null,null,1,0,0,0]""",
                    """["Failed","parse error","python",1,0,0,0]""")
                : Responses.Query(["path", "reason"], """["bad.py","parse error"]"""))
        }));

        var stats = await index.GetStatsAsync("r", Ct);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains(handler.Requests, r => r.CanonicalBody == RecordedRequest.Canonical(
            """{"statement":"MATCH (f:File {repo: $repo}) RETURN f.status AS status, f.reason AS reason, f.language AS language, count(*) AS files, sum(f.chunkCount) AS chunks, sum(f.symbolCount) AS symbols, sum(f.referenceCount) AS refs","parameters":{"repo":"r"},"accessMode":"Read","bookmarks":["FB:x"]}"""));
        Assert.Contains(handler.Requests, r => r.CanonicalBody == RecordedRequest.Canonical(
            """{"statement":"MATCH (f:File {repo: $repo}) WHERE f.status = 'Failed' RETURN f.path AS path, coalesce(f.reason, '') AS reason ORDER BY path LIMIT 50","parameters":{"repo":"r"},"accessMode":"Read","bookmarks":["FB:x"]}"""));
        Assert.Equal(4, stats.Files[FileStatus.Indexed]);
        Assert.Equal(4, stats.Files[FileStatus.Skipped]);
        Assert.Equal(1, stats.Files[FileStatus.Failed]);
        Assert.Equal(new Dictionary<string, int> { ["binary"] = 3, [string.Empty] = 1 }, stats.SkippedByReason);
        Assert.Equal(new Dictionary<string, int> { ["python"] = 2, ["go"] = 1 }, stats.Languages);
        Assert.Equal([new KeyValuePair<string, string>("bad.py", "parse error")], stats.FailedFiles);
        Assert.Equal((6L, 12L, 8L), (stats.Chunks, stats.Symbols, stats.References));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetStats_TransactionalApi_BothStatementsInOneRequest()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true));
        handler.Respond(HttpStatusCode.OK, Responses.Transactional(
            (["status", "reason", "language", "files", "chunks", "symbols", "refs"], ["""["Indexed",null,"python",1,4,2,3]"""]),
            (["path", "reason"], [])));

        var stats = await index.GetStatsAsync("r", Ct);

        Assert.Equal(2, Assert.Single(handler.Requests).Json.GetProperty("statements").GetArrayLength());
        Assert.Equal((4L, 2L, 3L), (stats.Chunks, stats.Symbols, stats.References));
        Assert.Empty(stats.FailedFiles);
    }
}
