using System.Net;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class ApiTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string Repo = ApiServerFixture.Repository;

    private TestServer Server => fixture.Server;

    private V1.CodeGraphRag.CodeGraphRagClient Client => fixture.Server.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Sync_SampleRepository_StreamsPhasesAndEndsCompleted()
    {
        var phases = fixture.InitialSync.Select(p => p.Phase).ToList();
        Assert.Equal(V1.SyncPhase.Completed, phases[^1]);
        Assert.DoesNotContain(V1.SyncPhase.Failed, phases);
        Assert.All(fixture.InitialSync, p => Assert.Equal(Repo, p.Repository));
        var last = fixture.InitialSync[^1];
        Assert.True(last.FilesIndexed >= 6, $"indexed {last.FilesIndexed}");
        Assert.Equal(last.FilesToProcess, last.FilesProcessed);
        Assert.True(last.ChunksWritten > 0);
    }

    [Fact]
    public async Task Sync_Unchanged_CompletesWithNothingToProcess()
    {
        var progress = await Server.SyncAsync(Repo);
        Assert.Equal(V1.SyncPhase.Completed, progress[^1].Phase);
        Assert.Equal(0, progress[^1].FilesToProcess);
        Assert.True(progress[^1].FilesUnchanged >= 6);
    }

    [Fact]
    public async Task Sync_UnknownRepository_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Server.SyncAsync("no-such-repo"));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Sync_SourceDeleted_StreamEndsFailedWithFailedPrecondition()
    {
        var copy = new TempDirectory("cgr-vanishing");
        copy.Write("a.py", "def vanishing():\n    return 1\n");
        await Client.RegisterRepositoryAsync(new V1.RegisterRepositoryRequest { Name = "vanishing", LocalPath = copy.Path }, cancellationToken: Ct);
        copy.Dispose();
        try
        {
            var received = new List<V1.SyncProgress>();
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = Client.Sync(new V1.SyncRequest { Repository = "vanishing" }, cancellationToken: Ct);
                await foreach (var p in call.ResponseStream.ReadAllAsync(Ct))
                {
                    received.Add(p);
                }
            });
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
            Assert.Contains("vanishing", ex.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(V1.SyncPhase.Failed, received[^1].Phase);
            Assert.False(string.IsNullOrEmpty(received[^1].Error));
        }
        finally
        {
            await Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = "vanishing" }, cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Sync_DeadlineDuringStream_DeadlineExceededAndServerStillServes()
    {
        var soon = TimeProvider.System.GetUtcNow().UtcDateTime.AddMilliseconds(50);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.Sync(new V1.SyncRequest { Repository = Repo }, deadline: soon, cancellationToken: Ct);
            await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
            {
                // CGR: keep reading until the deadline ends the stream (the sync itself keeps polling every 200 ms).
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        var progress = await Server.SyncAsync(Repo);
        Assert.Equal(V1.SyncPhase.Completed, progress[^1].Phase);
    }

    [Fact]
    public async Task Status_Sample_ReportsCountsAndLastSync()
    {
        var status = await Client.StatusAsync(new V1.StatusRequest { Repository = Repo }, cancellationToken: Ct);
        Assert.Equal(Repo, status.Repository.Name);
        Assert.Equal(Fixtures.Path("sample-repo"), status.Repository.Source);
        Assert.NotNull(status.Repository.LastSyncCompleted);
        Assert.True(status.Chunks > 0 && status.Symbols > 0);
        Assert.True(status.FilesByStatus["indexed"] >= 6);
        Assert.Contains("python", status.FilesByLanguage.Keys);
        Assert.Equal(V1.SyncPhase.Completed, status.LastSync.Phase);
    }

    [Fact]
    public async Task Status_UnknownRepository_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.StatusAsync(new V1.StatusRequest { Repository = "missing" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task ListRepositories_ContainsSample()
    {
        var list = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), cancellationToken: Ct);
        Assert.Contains(list.Repositories, r => r.Name == Repo && r.LastSyncCompleted is not null);
    }

    [Fact]
    public async Task Search_JwtQuery_FindsValidatorWithRawScoreBreakdownAndQueryId()
    {
        var response = await Client.SearchAsync(new V1.SearchRequest { Query = "validate the signature of a jwt bearer token", TopK = 5 }, cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(response.QueryId));
        Assert.Equal(V1.SearchMode.HybridGraph, response.Mode);
        Assert.InRange(response.Hits.Count, 1, 5);
        Assert.Equal("auth/jwt_validator.py", response.Hits[0].Path);
        Assert.Equal(Enumerable.Range(1, response.Hits.Count), response.Hits.Select(h => h.Rank));
        // Full access: raw backend scores are shown next to the fused one.
        Assert.Contains(response.Hits, h => h.Scores.ContainsKey("dense") || h.Scores.ContainsKey("lexical"));
        Assert.All(response.Hits, h => Assert.True(h.Scores.ContainsKey("rrf")));
        Assert.All(response.Hits, h => Assert.False(string.IsNullOrEmpty(h.Text)));
    }

    [Theory]
    [InlineData(V1.SearchMode.Lexical)]
    [InlineData(V1.SearchMode.Dense)]
    [InlineData(V1.SearchMode.Hybrid)]
    public async Task Search_Mode_IsHonoured(V1.SearchMode mode)
    {
        var response = await Client.SearchAsync(new V1.SearchRequest { Query = "cache entry expiry", Mode = mode }, cancellationToken: Ct);
        Assert.Equal(mode, response.Mode);
        Assert.NotEmpty(response.Hits);
        Assert.All(response.Hits, h => Assert.Empty(h.Related));
    }

    [Fact]
    public async Task Search_LanguageAndPathFilters_OnlyMatchingHits()
    {
        var request = new V1.SearchRequest { Query = "retry with backoff", Filters = new V1.SearchFilters { PathGlob = "util/*" } };
        request.Filters.Languages.Add("java");
        var response = await Client.SearchAsync(request, cancellationToken: Ct);
        Assert.NotEmpty(response.Hits);
        Assert.All(response.Hits, h => Assert.True(h.Language == "java" && h.Path.StartsWith("util/", StringComparison.Ordinal), h.Path));
    }

    [Theory]
    [InlineData("", 0, "query")]
    [InlineData("x", 101, "top_k")]
    [InlineData("x", -1, "top_k")]
    public async Task Search_InvalidArgument_NamesTheField(string query, int topK, string field)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(new V1.SearchRequest { Query = query, TopK = topK }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field + ":", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_QueryTooLong_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(new V1.SearchRequest { Query = new string('a', 2_001) }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("query", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("2000", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnknownModeOrRepository_Rejected()
    {
        var mode = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(new V1.SearchRequest { Query = "x", Mode = (V1.SearchMode)42 }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, mode.StatusCode);
        Assert.StartsWith("mode:", mode.Status.Detail, StringComparison.Ordinal);

        var request = new V1.SearchRequest { Query = "x", Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add("nope");
        var repo = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(request, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, repo.StatusCode);

        var longName = new V1.SearchRequest { Query = "x", Filters = new V1.SearchFilters() };
        longName.Filters.Repositories.Add(new string('r', 513));
        var tooLong = await Assert.ThrowsAsync<RpcException>(async () => await Client.SearchAsync(longName, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.StartsWith("filters.repositories[0]:", tooLong.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSymbolNeighbors_MethodOfAClass_ReturnsItsParentAndHonoursDepth()
    {
        var search = await Client.SearchAsync(new V1.SearchRequest { Query = "JwtValidator validate token signature", Mode = V1.SearchMode.Lexical, TopK = 20 }, cancellationToken: Ct);
        var method = search.Hits.First(h => h.Symbol.Contains("JwtValidator.", StringComparison.Ordinal));
        var request = new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = Repo, Path = method.Path, Symbol = method.Symbol } };
        var one = await Client.GetSymbolNeighborsAsync(request, cancellationToken: Ct);
        Assert.Contains(one.Neighbors, n => n.Relation == V1.Relation.Parent && method.Symbol.StartsWith(n.Neighbor.Symbol + ".", StringComparison.Ordinal));
        Assert.All(one.Neighbors, n => Assert.Equal(1, n.Depth));

        request.Depth = 2;
        var two = await Client.GetSymbolNeighborsAsync(request, cancellationToken: Ct);
        // Depth 2 keeps every direct neighbour at depth 1 and adds their neighbours at depth 2: validate calls
        // _check_expiry, which raises ExpiredTokenError; validate itself does not.
        static string Key(V1.SymbolNeighbor n) => $"{n.Relation}|{n.Neighbor.Path}|{n.Neighbor.Symbol}";
        var direct = one.Neighbors.Select(Key).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(direct, two.Neighbors.Where(n => n.Depth == 1).Select(Key).ToHashSet(StringComparer.Ordinal));
        Assert.Contains(one.Neighbors, n => n.Neighbor.Symbol.EndsWith("JwtValidator._check_expiry", StringComparison.Ordinal));
        Assert.DoesNotContain(one.Neighbors, n => n.Neighbor.Symbol.EndsWith(".ExpiredTokenError", StringComparison.Ordinal));
        Assert.Contains(two.Neighbors, n => n.Depth == 2 && n.Neighbor.Symbol.EndsWith(".ExpiredTokenError", StringComparison.Ordinal));
        Assert.All(two.Neighbors, n => Assert.InRange(n.Depth, 1, 2));

        request.Relations.Add(V1.Relation.Parent);
        request.Depth = 1;
        var parents = await Client.GetSymbolNeighborsAsync(request, cancellationToken: Ct);
        Assert.All(parents.Neighbors, n => Assert.Equal(V1.Relation.Parent, n.Relation));
    }

    [Theory]
    [InlineData(4, 0, "depth")]
    [InlineData(-1, 0, "depth")]
    [InlineData(1, 201, "max_per_relation")]
    public async Task GetSymbolNeighbors_InvalidArgument_NamesTheField(int depth, int perRelation, string field)
    {
        var request = new V1.GetSymbolNeighborsRequest
        {
            Symbol = new V1.SymbolRef { Repository = Repo, Path = "auth/keys.py", Symbol = "x" },
            Depth = depth,
            MaxPerRelation = perRelation,
        };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSymbolNeighborsAsync(request, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field + ":", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSymbolNeighbors_MissingSymbolOrUnknownRepository_Rejected()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSymbolNeighborsAsync(new V1.GetSymbolNeighborsRequest(), cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.StartsWith("symbol", missing.Status.Detail, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetSymbolNeighborsAsync(
            new V1.GetSymbolNeighborsRequest { Symbol = new V1.SymbolRef { Repository = "nope", Path = "a.py" } }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task GetContext_Budget_PackedWithinBudget()
    {
        var response = await Client.GetContextAsync(new V1.GetContextRequest { Query = "how are invoices totalled", TokenBudget = 600 }, cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(response.QueryId));
        Assert.InRange(response.Tokens, 1, 600);
        Assert.NotEmpty(response.Hits);
        Assert.Contains(response.Hits[0].Path, response.Context, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetContextAsync(new V1.GetContextRequest { Query = "x", TokenBudget = 200_001 }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("token_budget:", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_OnLoggedQuery_IsExportedAsTriples()
    {
        var search = await Client.SearchAsync(new V1.SearchRequest { Query = "http routing of requests to handlers", TopK = 5 }, cancellationToken: Ct);
        Assert.True(search.Hits.Count >= 3);
        var positive = search.Hits[2];
        await Client.FeedbackAsync(new V1.FeedbackRequest { QueryId = search.QueryId, ResultId = positive.ChunkId, Vote = V1.Vote.Up, Comment = "this one" }, cancellationToken: Ct);
        await Client.FeedbackAsync(new V1.FeedbackRequest { QueryId = search.QueryId, ResultId = search.Hits[0].ChunkId, Vote = V1.Vote.Down }, cancellationToken: Ct);

        using var output = new StringWriter();
        var count = await new TrainingTripletExporter().ExportAsync(QueryLogFiles.DirectoryOf(Server.DataDirectory), output, cancellationToken: Ct);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        if (!OperatingSystem.IsWindows())
        {
            // The log keeps query text: owner-only.
            foreach (var file in Directory.GetFiles(QueryLogFiles.DirectoryOf(Server.DataDirectory)))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Assert.Contains(lines, l => l.Contains(search.QueryId, StringComparison.Ordinal)
            && l.Contains($"\"positiveId\":\"{positive.ChunkId}\"", StringComparison.Ordinal)
            && l.Contains($"\"negativeId\":\"{search.Hits[0].ChunkId}\"", StringComparison.Ordinal));

        // The ExportFeedback RPC streams the same triples; with texts, the chunks' stored text.
        using var call = Client.ExportFeedback(new V1.ExportFeedbackRequest { IncludeTexts = true }, cancellationToken: Ct);
        var streamed = new List<V1.TrainingTriple>();
        await foreach (var t in call.ResponseStream.ReadAllAsync(Ct))
        {
            streamed.Add(t);
        }

        Assert.Equal(count, streamed.Count);
        var mine = streamed.Single(t => t.QueryId == search.QueryId && t.PositiveId == positive.ChunkId && t.NegativeId == search.Hits[0].ChunkId);
        Assert.Equal(positive.Text, mine.PositiveText);
        Assert.Equal(search.Hits[0].Text, mine.NegativeText);
        Assert.Equal(positive.Rank, mine.PositiveRank);
    }

    [Fact]
    public async Task Feedback_InvalidInput_Rejected()
    {
        var search = await Client.SearchAsync(new V1.SearchRequest { Query = "invoice", TopK = 2 }, cancellationToken: Ct);
        async Task<RpcException> Call(V1.FeedbackRequest r) => await Assert.ThrowsAsync<RpcException>(async () => await Client.FeedbackAsync(r, cancellationToken: Ct));

        var unknown = await Call(new V1.FeedbackRequest { QueryId = "0000", ResultId = search.Hits[0].ChunkId, Vote = V1.Vote.Up });
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        var noVote = await Call(new V1.FeedbackRequest { QueryId = search.QueryId, ResultId = search.Hits[0].ChunkId });
        Assert.Equal(StatusCode.InvalidArgument, noVote.StatusCode);
        Assert.StartsWith("vote:", noVote.Status.Detail, StringComparison.Ordinal);
        var notAHit = await Call(new V1.FeedbackRequest { QueryId = search.QueryId, ResultId = "not-a-result", Vote = V1.Vote.Down });
        Assert.StartsWith("result_id:", notAHit.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_BadSources_ClearErrors()
    {
        async Task<RpcException> Call(V1.RegisterRepositoryRequest r) => await Assert.ThrowsAsync<RpcException>(async () => await Client.RegisterRepositoryAsync(r, cancellationToken: Ct));

        var none = await Call(new V1.RegisterRepositoryRequest { Name = "x" });
        Assert.Equal(StatusCode.InvalidArgument, none.StatusCode);
        var relative = await Call(new V1.RegisterRepositoryRequest { LocalPath = "relative/path" });
        Assert.Equal(StatusCode.InvalidArgument, relative.StatusCode);
        Assert.StartsWith("local_path:", relative.Status.Detail, StringComparison.Ordinal);
        var missing = await Call(new V1.RegisterRepositoryRequest { LocalPath = Path.Combine(Server.DataDirectory, "does-not-exist") });
        Assert.Equal(StatusCode.FailedPrecondition, missing.StatusCode);
        Assert.Contains("does not exist on the server", missing.Status.Detail, StringComparison.Ordinal);
        var badUrl = await Call(new V1.RegisterRepositoryRequest { GitUrl = "ftp://example.com/repo" });
        Assert.StartsWith("git_url:", badUrl.Status.Detail, StringComparison.Ordinal);
        var spaced = await Call(new V1.RegisterRepositoryRequest { GitUrl = "https://github.com/acme/my repo.git" });
        Assert.Equal(StatusCode.InvalidArgument, spaced.StatusCode);
        Assert.StartsWith("git_url:", spaced.Status.Detail, StringComparison.Ordinal);
        var longName = await Call(new V1.RegisterRepositoryRequest { Name = new string('n', 513), LocalPath = Fixtures.Path("sample-repo") });
        Assert.StartsWith("name:", longName.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_GitUrl_DefaultNameBranchAndNoCredentialsShown()
    {
        var repository = await Client.RegisterRepositoryAsync(
            new V1.RegisterRepositoryRequest { GitUrl = "https://bot:s3cret-token@github.com/acme/Widgets.git", Branch = "release" }, cancellationToken: Ct);
        try
        {
            Assert.Equal("github.com/acme/widgets", repository.Name);
            Assert.Equal("release", repository.Branch);
            Assert.DoesNotContain("s3cret", repository.Source, StringComparison.Ordinal);
            var listed = (await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), cancellationToken: Ct)).Repositories.Single(r => r.Name == repository.Name);
            Assert.Equal("release", listed.Branch);
            Assert.DoesNotContain("s3cret", listed.Source, StringComparison.Ordinal);
        }
        finally
        {
            await Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = repository.Name }, cancellationToken: Ct);
        }

        Assert.DoesNotContain(Server.Audit.Entries, e => e.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveRepository_IndexedCopy_GoneFromStatusListAndSearch()
    {
        using var copy = new TempDirectory("cgr-remove");
        copy.Write("pricing/discounts.py", "def apply_loyalty_discount(total, years):\n    \"\"\"Loyal customers pay less.\"\"\"\n    return total * (1 - min(years, 10) / 100)\n");
        var progress = await Server.RegisterAndSyncAsync("removable", copy.Path);
        Assert.Equal(V1.SyncPhase.Completed, progress[^1].Phase);
        var request = new V1.SearchRequest { Query = "loyalty discount", Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add("removable");
        Assert.NotEmpty((await Client.SearchAsync(request, cancellationToken: Ct)).Hits);

        await Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = "removable" }, cancellationToken: Ct);

        var status = await Assert.ThrowsAsync<RpcException>(async () => await Client.StatusAsync(new V1.StatusRequest { Repository = "removable" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, status.StatusCode);
        Assert.DoesNotContain((await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), cancellationToken: Ct)).Repositories, r => r.Name == "removable");
        var all = await Client.SearchAsync(new V1.SearchRequest { Query = "apply_loyalty_discount", TopK = 20 }, cancellationToken: Ct);
        Assert.DoesNotContain(all.Hits, h => h.Repository == "removable");
        var again = await Assert.ThrowsAsync<RpcException>(async () => await Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = "removable" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Health_HttpAndGrpc_ReportHealthy()
    {
        foreach (var path in new[] { "/health/startup", "/health/ready", "/health/live" })
        {
            using var response = await Server.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var health = new Health.HealthClient(Server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "codegraphrag.v1.CodeGraphRag" }, cancellationToken: Ct)).Status);
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesTheApi()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Server.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("codegraphrag.v1.CodeGraphRag", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Audit_Search_OneEntryWithHashNotQueryText()
    {
        const string secretish = "password=hunter2-very-secret lookup";
        var before = Server.Audit.Entries.Count;
        await Client.SearchAsync(new V1.SearchRequest { Query = secretish }, cancellationToken: Ct);
        var entries = Server.Audit.Entries.Skip(before).Where(e => e.Contains("operation=Search", StringComparison.Ordinal)).ToList();
        Assert.Single(entries);
        Assert.Contains("principal=anonymous", entries[0], StringComparison.Ordinal);
        Assert.Contains("status=OK", entries[0], StringComparison.Ordinal);
        Assert.Contains($"queryLength={secretish.Length}", entries[0], StringComparison.Ordinal);
        // The hash lets an auditor match repeated queries without keeping their text: the first 16 hex digits of SHA-256.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secretish)))[..16];
        Assert.Contains($"queryHash={expected} ", entries[0], StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Audit.Entries, e => e.Contains("hunter2", StringComparison.Ordinal));
    }
}
