using System.Net;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>The exact requests of schema setup and of every write, on both endpoints.</summary>
public sealed class WriteWireFormatTests
{
    private const string QueryUrl = "http://graph.test:7474/db/code/query/v2";
    private const string CommitUrl = "http://graph.test:7474/db/code/tx/commit";

    private const string ReplaceFileStatement =
        "MERGE (f:File {repo: $repo, path: $path}) SET f += $file WITH f"
        + " CALL { WITH f OPTIONAL MATCH (f)-[:DECLARES]->(old:Symbol) DETACH DELETE old }"
        + " CALL { WITH f OPTIONAL MATCH (f)-[old:CALLS_NAME|IMPORTS|INHERITS_NAME]->() DELETE old }"
        + " CALL { WITH f UNWIND $symbols AS row MERGE (s:Symbol {repo: f.repo, path: f.path, qname: row.qname}) SET s += row"
        + " MERGE (f)-[:DECLARES]->(s) MERGE (nm:Name {value: row.name}) MERGE (s)-[:NAMED]->(nm) }"
        + " CALL { WITH f UNWIND $calls AS row OPTIONAL MATCH (s:Symbol {repo: f.repo, path: f.path, qname: row.caller})"
        + " WITH f, row, coalesce(s, f) AS caller MERGE (nm:Name {value: row.name}) CREATE (caller)-[c:CALLS_NAME]->(nm) SET c += row }"
        + " CALL { WITH f UNWIND $imports AS row MERGE (nm:Name {value: row.module}) CREATE (f)-[i:IMPORTS]->(nm) SET i += row }"
        + " CALL { WITH f UNWIND $inheritance AS row OPTIONAL MATCH (s:Symbol {repo: f.repo, path: f.path, qname: row.type})"
        + " WITH f, row, coalesce(s, f) AS owner MERGE (nm:Name {value: row.baseName}) CREATE (owner)-[h:INHERITS_NAME]->(nm) SET h += row }"
        + " RETURN f.path AS path, 1 AS ok";

    private const string FileJson =
        """{"language":"python","contentHash":"h1","size":120,"pipelineVersion":"p1","status":"Indexed","reason":null,"chunkCount":2,"class":"code","symbolCount":2,"referenceCount":3,"qname":"","name":"app.py","kind":"Module","startLine":1,"endLine":30,"stem":"src/app","folder":"src"}""";

    private const string SymbolsJson =
        """[{"qname":"app.Service","name":"Service","kind":"Class","startLine":1,"endLine":30,"parent":null,"parentSimple":null,"parentSimpleLower":null,"signature":null,"stem":"src/app","folder":"src"},"""
        + """{"qname":"app.Service.run","name":"run","kind":"Method","startLine":2,"endLine":10,"parent":"app.Service","parentSimple":"Service","parentSimpleLower":"service","signature":"def run(self)","stem":"src/app","folder":"src"}]""";

    private const string CallsJson =
        """[{"ordinal":0,"caller":"app.Service.run","name":"validate","qualifier":"jwt","line":4,"segment":"jwt","aliased":[0]}]""";

    private const string ImportsJson =
        """[{"ordinal":0,"module":"./auth/jwt","names":["validate"],"alias":"jwt","line":1,"norm":"src/auth/jwt","relative":true,"slashNorm":"/src/auth/jwt","normIndex":"src/auth/jwt/index","normInit":"src/auth/jwt/__init__","qprefix":"./auth/jwt."}]""";

    private const string InheritanceJson = """[{"ordinal":0,"type":"app.Service","baseName":"Base","line":1}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FileRecord AppFile = new("r", "src/app.py", "python", "h1", 120, "p1", FileStatus.Indexed, null, 2);

    private static readonly FileGraph AppGraph = new(
        [
            new SymbolInfo("app.Service", "Service", SymbolKind.Class, 1, 30, null, null),
            new SymbolInfo("app.Service.run", "run", SymbolKind.Method, 2, 10, "app.Service", "def run(self)"),
        ],
        [new CallReference("app.Service.run", "validate", "jwt", 4)],
        [new ImportInfo("./auth/jwt", ["validate"], "jwt", 1)],
        [new InheritanceInfo("app.Service", "Base", 1)]);

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureSchema_FirstCall_SendsEachConstraintAndIndexOnceWithAuthAndJsonHeaders()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, Responses.QueryEmpty);
        using var index = new Neo4jGraphIndex(new HttpClient(handler), Microsoft.Extensions.Options.Options.Create(Neo4jFixture.Options()));

        await index.EnsureSchemaAsync(Ct);
        await index.EnsureSchemaAsync(Ct);

        Assert.Equal(
            [
                "CREATE CONSTRAINT cgr_repository_name IF NOT EXISTS FOR (r:Repository) REQUIRE r.name IS UNIQUE",
                "CREATE CONSTRAINT cgr_file_key IF NOT EXISTS FOR (f:File) REQUIRE (f.repo, f.path) IS UNIQUE",
                "CREATE CONSTRAINT cgr_symbol_key IF NOT EXISTS FOR (s:Symbol) REQUIRE (s.repo, s.path, s.qname) IS UNIQUE",
                "CREATE CONSTRAINT cgr_name_value IF NOT EXISTS FOR (n:Name) REQUIRE n.value IS UNIQUE",
                "CREATE INDEX cgr_file_repo IF NOT EXISTS FOR (f:File) ON (f.repo)",
                "CREATE INDEX cgr_symbol_repo IF NOT EXISTS FOR (s:Symbol) ON (s.repo)",
                "CREATE INDEX cgr_symbol_qname IF NOT EXISTS FOR (s:Symbol) ON (s.qname)",
                "CREATE TEXT INDEX cgr_file_path_text IF NOT EXISTS FOR (f:File) ON (f.path)",
            ],
            handler.Requests.Select(r => r.Json.GetProperty("statement").GetString()));
        Assert.All(handler.Requests, r =>
        {
            Assert.Equal(HttpMethod.Post, r.Method);
            Assert.Equal(QueryUrl, r.Uri);
            Assert.Equal(Neo4jFixture.Authorization, r.Headers["Authorization"]);
            Assert.Equal("application/json", r.Headers["Accept"]);
            Assert.Equal("application/json", r.Headers["Content-Type"]);
            Assert.Equal(RecordedRequest.Canonical($$$"""{"statement":{{{System.Text.Json.JsonSerializer.Serialize(r.Json.GetProperty("statement").GetString())}}},"parameters":{}}"""), r.CanonicalBody);
        });
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EnsureSchema_RuleCreatedConcurrentlyElsewhere_TreatedAsDoneOtherErrorsSurface()
    {
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.BadRequest, Responses.Error("Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists", "An equivalent constraint already exists"))
            .Respond(HttpStatusCode.OK, Responses.QueryEmpty);
        using var index = new Neo4jGraphIndex(new HttpClient(handler), Microsoft.Extensions.Options.Options.Create(Neo4jFixture.Options()));

        await index.EnsureSchemaAsync(Ct);

        Assert.Equal(8, handler.Requests.Count);
        var failing = new RecordingHandler().Respond(HttpStatusCode.Forbidden, Responses.Error("Neo.ClientError.Security.Forbidden", "Schema operations are not allowed"));
        using var forbidden = new Neo4jGraphIndex(new HttpClient(failing), Microsoft.Extensions.Options.Options.Create(Neo4jFixture.Options()));
        var error = await Assert.ThrowsAsync<Neo4jException>(() => forbidden.GetRepositoryAsync("a", Ct));
        Assert.Equal(("EnsureSchema", "Neo.ClientError.Security.Forbidden"), (error.Operation, error.Code));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_QueryApi_OneImplicitRequestWithExactStatementAndParameters()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(Responses.Query(["path", "ok"], """["src/app.py",1]"""));

        await index.ApplyFileAsync(AppFile, AppGraph, Ct);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(QueryUrl, request.Uri);
        Assert.DoesNotContain('\n', request.Body);
        Assert.Equal(
            RecordedRequest.Canonical(
                $$$"""{"statement":"{{{ReplaceFileStatement}}}","parameters":{"repo":"r","path":"src/app.py","file":{{{FileJson}}},"symbols":{{{SymbolsJson}}},"calls":{{{CallsJson}}},"imports":{{{ImportsJson}}},"inheritance":{{{InheritanceJson}}}}}"""),
            request.CanonicalBody);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_TransactionalApi_SameStatementInStatementsArrayOnTxCommit()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true));
        handler.Respond(HttpStatusCode.OK, Responses.Transactional((["path", "ok"], ["""["src/app.py",1]"""])));

        await index.ApplyFileAsync(AppFile, AppGraph, Ct);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(CommitUrl, request.Uri);
        Assert.Equal(
            RecordedRequest.Canonical(
                $$$"""{"statements":[{"statement":"{{{ReplaceFileStatement}}}","parameters":{"repo":"r","path":"src/app.py","file":{{{FileJson}}},"symbols":{{{SymbolsJson}}},"calls":{{{CallsJson}}},"imports":{{{ImportsJson}}},"inheritance":{{{InheritanceJson}}}}}]}"""),
            request.CanonicalBody);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_LargerThanBatch_QueryApiExplicitTransactionInOrderWithClusterAffinity()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 1));
        handler.Respond(
            HttpStatusCode.Accepted,
            """{"data":{"fields":["path","ok"],"values":[["src/app.py",1]]},"transaction":{"id":"tx7","expires":"2026-01-01T00:00:30Z"}}""",
            ("neo4j-cluster-affinity", "QUZGSU5JVFk="))
            .Respond(Responses.Query(["path", "ok"], """["src/app.py",1]"""));

        await index.ApplyFileAsync(AppFile, AppGraph, Ct);

        Assert.Equal(
            [QueryUrl + "/tx", QueryUrl + "/tx/tx7", QueryUrl + "/tx/tx7", QueryUrl + "/tx/tx7", QueryUrl + "/tx/tx7", QueryUrl + "/tx/tx7/commit"],
            handler.Requests.Select(r => r.Uri));
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
        Assert.All(handler.Requests.Skip(1), r => Assert.Equal("QUZGSU5JVFk=", r.Headers["neo4j-cluster-affinity"]));
        var head = handler.Requests[0].Json;
        Assert.Equal(ReplaceFileStatement, head.GetProperty("statement").GetString());
        foreach (var list in (string[])["symbols", "calls", "imports", "inheritance"])
        {
            Assert.Equal(0, head.GetProperty("parameters").GetProperty(list).GetArrayLength());
        }

        Assert.Equal(
            ["symbols", "symbols", "calls", "imports", "inheritance"],
            handler.Requests.Skip(1).Select(r => r.Json.GetProperty("parameters").EnumerateObject().Last().Name));
        Assert.Equal("app.Service.run", handler.Requests[2].Json.GetProperty("parameters").GetProperty("symbols")[0].GetProperty("qname").GetString());
        Assert.StartsWith("MATCH (f:File {repo: $repo, path: $path}) CALL { WITH f UNWIND $symbols AS row", handler.Requests[1].Json.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("MATCH (f:File {repo: $repo, path: $path}) CALL { WITH f UNWIND $inheritance AS row", handler.Requests[5].Json.GetProperty("statement").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_LargerThanBatch_TransactionalApiAllStatementsInOneCommitRequest()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true, batchSize: 1));
        handler.Respond(HttpStatusCode.OK, Responses.TransactionalEmpty(6));

        await index.ApplyFileAsync(AppFile, AppGraph, Ct);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(CommitUrl, request.Uri);
        var statements = request.Json.GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal(6, statements.Count);
        Assert.Equal(ReplaceFileStatement, statements[0].GetProperty("statement").GetString());
        Assert.Equal(
            ["symbols", "symbols", "calls", "imports", "inheritance"],
            statements.Skip(1).Select(s => s.GetProperty("parameters").EnumerateObject().Last().Name));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_StatementFailsInsideExplicitTransaction_RollsBackAndSurfacesCode()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 1));
        handler.Respond("""{"data":{"fields":[],"values":[]},"transaction":{"id":"tx9","expires":"2026-01-01T00:00:30Z"}}""")
            .Respond(HttpStatusCode.Accepted, Responses.Error("Neo.ClientError.Schema.ConstraintValidationFailed", "Node already exists"))
            .Respond(HttpStatusCode.OK, string.Empty);

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.ApplyFileAsync(AppFile, AppGraph, Ct));

        Assert.Equal("Neo.ClientError.Schema.ConstraintValidationFailed", error.Code);
        Assert.Equal("ApplyFile", error.Operation);
        Assert.Equal("code", error.Database);
        Assert.False(error.IsTransient);
        Assert.Equal(
            [(HttpMethod.Post, QueryUrl + "/tx"), (HttpMethod.Post, QueryUrl + "/tx/tx9"), (HttpMethod.Delete, QueryUrl + "/tx/tx9")],
            handler.Requests.Select(r => (r.Method, r.Uri)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_DeadlockInsideExplicitTransaction_RollsBackAndRetriesWholeTransaction()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 1));
        const string opened = """{"data":{"fields":[],"values":[]},"transaction":{"id":"t1","expires":"2026-01-01T00:00:30Z"}}""";
        handler.Respond(opened)
            .Respond(HttpStatusCode.Accepted, Responses.Error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock"))
            .Respond(HttpStatusCode.OK, string.Empty)
            .Respond(opened.Replace("t1", "t2", StringComparison.Ordinal))
            .Respond(Responses.QueryEmpty);

        await index.ApplyFileAsync(AppFile, AppGraph, Ct);

        Assert.Equal(
            [
                "POST /tx", "POST /tx/t1", "DELETE /tx/t1",
                "POST /tx", "POST /tx/t2", "POST /tx/t2", "POST /tx/t2", "POST /tx/t2", "POST /tx/t2/commit",
            ],
            handler.Requests.Select(r => $"{r.Method} {r.Uri[QueryUrl.Length..]}"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Bookmarks_LastQueryApiWriteOrCommit_SentWithLaterReadsOnly()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 1));
        handler.Respond("""{"data":{"fields":["path","ok"],"values":[["src/app.py",1]]},"bookmarks":["FB:w1"]}""")
            .Respond(Responses.Query(["path", "language", "contentHash", "size", "pipelineVersion", "status", "reason", "chunkCount"]))
            .Respond("""{"data":{"fields":[],"values":[]},"transaction":{"id":"t","expires":"2026-01-01T00:00:30Z"}}""")
            .Respond(Responses.QueryEmpty.Replace("FB:x", "FB:unused", StringComparison.Ordinal))
            .Respond(Responses.QueryEmpty.Replace("FB:x", "FB:unused", StringComparison.Ordinal))
            .Respond(Responses.QueryEmpty.Replace("FB:x", "FB:unused", StringComparison.Ordinal))
            .Respond(Responses.QueryEmpty.Replace("FB:x", "FB:unused", StringComparison.Ordinal))
            .Respond("""{"data":{"fields":[],"values":[]},"bookmarks":["FB:c2"]}""")
            .Respond(Responses.Query(["path", "language", "contentHash", "size", "pipelineVersion", "status", "reason", "chunkCount"]));

        await index.ApplyFileAsync(AppFile, FileGraph.Empty, Ct);
        await index.GetManifestAsync("r", Ct);
        await index.ApplyFileAsync(AppFile, AppGraph, Ct);
        await index.GetManifestAsync("r", Ct);

        Assert.False(handler.Requests[0].Json.TryGetProperty("bookmarks", out _));
        Assert.Equal("FB:w1", handler.Requests[1].Json.GetProperty("bookmarks")[0].GetString());
        Assert.All(handler.Requests.Skip(2).Take(6), r => Assert.False(r.Json.TryGetProperty("bookmarks", out _)));
        Assert.Equal(QueryUrl + "/tx/t/commit", handler.Requests[7].Uri);
        Assert.Equal("FB:c2", handler.Requests[8].Json.GetProperty("bookmarks")[0].GetString());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RemoveFiles_BatchesOfPaths_OneTransactionWithExactStatement()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true, batchSize: 2));
        handler.Respond(HttpStatusCode.OK, Responses.TransactionalEmpty(2));

        await index.RemoveFilesAsync("r", ["a.py", "b.py", "a.py", "c.py"], Ct);
        await index.RemoveFilesAsync("r", [], Ct);

        var request = Assert.Single(handler.Requests);
        const string statement =
            "UNWIND $paths AS p MATCH (f:File {repo: $repo, path: p}) CALL { WITH f OPTIONAL MATCH (f)-[:DECLARES]->(old:Symbol) DETACH DELETE old } DETACH DELETE f RETURN count(*) AS files, 1 AS ok";
        Assert.Equal(
            RecordedRequest.Canonical(
                $$$"""{"statements":[{"statement":"{{{statement}}}","parameters":{"repo":"r","paths":["a.py","b.py"]}},{"statement":"{{{statement}}}","parameters":{"repo":"r","paths":["c.py"]}}]}"""),
            request.CanonicalBody);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RemoveRepository_ThreeAutoCommitRequests_SymbolsFilesThenRepositoryWithBatchSizeInText()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(batchSize: 500));
        handler.Respond(Responses.QueryEmpty);

        await index.RemoveRepositoryAsync("acme", Ct);

        Assert.Equal(
            [
                """{"statement":"MATCH (s:Symbol {repo: $repo}) CALL { WITH s DETACH DELETE s } IN TRANSACTIONS OF 500 ROWS","parameters":{"repo":"acme"}}""",
                """{"statement":"MATCH (f:File {repo: $repo}) CALL { WITH f DETACH DELETE f } IN TRANSACTIONS OF 500 ROWS","parameters":{"repo":"acme"}}""",
                """{"statement":"MATCH (r:Repository {name: $repo}) DETACH DELETE r","parameters":{"repo":"acme"}}""",
            ],
            handler.Requests.Select(r => r.Body));
        Assert.All(handler.Requests, r => Assert.Equal(QueryUrl, r.Uri));
    }
}
