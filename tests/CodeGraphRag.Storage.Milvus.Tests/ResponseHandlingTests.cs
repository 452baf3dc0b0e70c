using System.Net;
using CodeGraphRag.Abstractions.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using Polly.Timeout;
using static CodeGraphRag.Storage.Milvus.Tests.MilvusTestSetup;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>Error envelopes (mostly HTTP 200), retries of transient failures, timeouts and malformed answers.</summary>
public sealed class ResponseHandlingTests
{
    private static readonly float[] s_query = [1, 0, 0, 0];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ErrorEnvelopeWithHttp200_SurfacesOnceAsMilvusExceptionWithOperationCollectionAndCode()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":1100,"message":"invalid parameter[expected=valid filter][actual=bad]"}""");
        var index = Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 3, ChunkFilter.None, Ct));

        Assert.Equal("SearchDense", error.Operation);
        Assert.Equal("cgr_chunks", error.Collection);
        Assert.Equal(1100, error.Code);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Contains("invalid parameter[expected=valid filter]", error.Message, StringComparison.Ordinal);
        Assert.Single(server.To("entities/search"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CollectionNotFound_Code100_NotRetried()
    {
        var server = new FakeMilvus();
        server.Enqueue("collections/has", """{"code":0,"data":{"has":true}}""");
        server.Enqueue("collections/describe", """{"code":100,"message":"collection not found[collection=cgr_chunks]"}""");
        var index = Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.EnsureCollectionAsync(Ct));

        Assert.Equal((100, "EnsureCollection"), (error.Code, error.Operation));
        Assert.Single(server.To("collections/describe"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task LegacySuccessCode200WithoutMessage_TreatedAsSuccess()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/delete", """{"code":200,"data":{}}""");
        var index = Index(server);

        await index.RemoveRepositoryAsync("r", Ct);

        Assert.Single(server.To("entities/delete"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Http5xxAndTransientCodes_RetriedWithBackoffThenSucceed()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", "upstream connect error", HttpStatusCode.ServiceUnavailable);
        server.Enqueue("entities/search", """{"code":8,"message":"rate limit exceeded[rate=10]"}""");
        server.Enqueue("entities/search", """{"code":1807,"message":"request is rejected by limiter"}""");
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a","distance":0.5}]}""");
        var index = Index(server);

        var hits = await index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct);

        Assert.Equal([new ScoredChunk("a", 0.5)], hits);
        Assert.Equal(4, server.To("entities/search").Count);
        Assert.Single(server.To("entities/search").Select(r => r.Body).Distinct());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Http500Persisting_RetriedThenSurfacesWithStatus()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Default("entities/upsert", "panic: runtime error", HttpStatusCode.InternalServerError);
        server.Enqueue("entities/query", """{"code":0,"data":[]}""");
        var index = Index(server, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<MilvusException>(() =>
            index.ReplaceFileChunksAsync("r", "src/a.py", [Chunk("c1", "x")], Vectors(("c1", [1, 0, 0, 0])), Ct));

        Assert.Equal(("Upsert", (int?)null, (HttpStatusCode?)HttpStatusCode.InternalServerError), (error.Operation, error.Code, error.StatusCode));
        Assert.Equal(3, server.To("entities/upsert").Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RequestTimeout_EachAttemptCancelledAndRetriedThenSurfaces()
    {
        var server = FakeMilvus.WithLoadedCollection();
        for (var i = 0; i < 2; i++)
        {
            server.Enqueue("entities/delete", async (_, token) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                throw new InvalidOperationException("unreachable");
            });
        }

        var index = Index(server, o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxRetries = 1;
        });
        await index.EnsureCollectionAsync(Ct);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.RemoveRepositoryAsync("r", Ct));

        Assert.Equal("RemoveRepository", error.Operation);
        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.To("entities/delete").Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ServerSideTimeoutCode10001_Retried()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/delete", """{"code":10001,"message":"request timeout"}""", HttpStatusCode.RequestTimeout);
        server.Enqueue("entities/delete", """{"code":0,"data":{"deleteCount":0}}""");
        var index = Index(server);

        await index.RemoveRepositoryAsync("r", Ct);

        Assert.Equal(2, server.To("entities/delete").Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Unauthenticated401_NotRetriedAndCarriesCode1800()
    {
        var server = new FakeMilvus();
        server.Enqueue("collections/has", """{"code":1800,"message":"user hasn't authenticated"}""", HttpStatusCode.Unauthorized);
        var index = Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.EnsureCollectionAsync(Ct));

        Assert.Equal((1800, (HttpStatusCode?)HttpStatusCode.Unauthorized), (error.Code, error.StatusCode));
        Assert.Single(server.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task PartialUpsert_CountBelowRowsSent_Surfaces()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/query", """{"code":0,"data":[]}""");
        server.Enqueue("entities/upsert", """{"code":0,"data":{"upsertCount":"1","upsertIds":[1]}}""");
        var index = Index(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => index.ReplaceFileChunksAsync(
            "r", "src/a.py", [Chunk("c1", "x"), Chunk("c2", "y")], Vectors(("c1", [1, 0, 0, 0]), ("c2", [0, 1, 0, 0])), Ct));

        Assert.Contains("upserted 1 of 2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task MalformedAnswers_SurfaceAsMilvusException()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", "<html>gateway</html>");
        server.Enqueue("entities/search", """{"data":[]}""");
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a"}]}""");
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","kind":"NoSuchKind"}]}""");
        var index = Index(server);

        var notJson = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct));
        var noCode = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct));
        var noDistance = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct));
        var badRow = await Assert.ThrowsAsync<MilvusException>(() => index.GetChunksAsync(["c1"], Ct));

        Assert.Contains("not JSON", notJson.Message, StringComparison.Ordinal);
        Assert.Contains("without a response code", noCode.Message, StringComparison.Ordinal);
        Assert.Contains("without a distance", noDistance.Message, StringComparison.Ordinal);
        Assert.Equal("ReadChunk", badRow.Operation);
    }

    // Found by scripts/fuzz.sh (milvus-response target); the inputs are kept in tests/fixtures/fuzz/milvus-response/found-*.
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task UnreadableAnswers_SurfaceAsMilvusExceptionNamingTheProblem()
    {
        var server = FakeMilvus.WithLoadedCollection();
        server.Enqueue("entities/search", """{"code":0,"data":[{"chunk_id":"a\udead","distance":0.5}]}""");
        server.Enqueue("entities/search", """{"code":0,"data":[17,{"chunk_id":"a","distance":0.5}]}""");
        server.Enqueue("entities/query", """{"code":0,"data":[{"chunk_id":"c1","repo":"r","path":"x.py","language":"python","symbol_path":"f","kind":"Fun://ction","start_line":1,"end_line":3,"text":"t","content_hash":"h","embedding_key":"k","lexical_text":"t","signature":""}]}""");
        var index = Index(server);

        var surrogate = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct));
        var notObject = await Assert.ThrowsAsync<MilvusException>(() => index.SearchDenseAsync(s_query, 1, ChunkFilter.None, Ct));
        var unknownKind = await Assert.ThrowsAsync<MilvusException>(() => index.GetChunksAsync(["c1"], Ct));

        Assert.Contains("lone surrogate", surrogate.Message, StringComparison.Ordinal);
        Assert.Contains("not an object: Number", notObject.Message, StringComparison.Ordinal);
        Assert.Contains("unknown kind 'Fun://ction'", unknownKind.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void JsonTextCheck_NamesInvalidUtf8AndLoneSurrogates_AcceptsEscapedPairsAndNonJson()
    {
        byte[] invalidUtf8 = [.. "{\"a\":\""u8, 0xFF, .. "\"}"u8];
        Assert.Equal("not valid UTF-8", JsonTextCheck.Problem(invalidUtf8));
        Assert.Contains("lone surrogate", JsonTextCheck.Problem("""{"a":["\udead"]}"""u8), StringComparison.Ordinal);
        Assert.Contains("lone surrogate", JsonTextCheck.Problem("\uFEFF{\"a\":\"\\udead\"}"u8), StringComparison.Ordinal); // after a byte order mark (fuzz find)
        Assert.Null(JsonTextCheck.Problem("""{"a":"\ud83d\ude00 \u00e9","\u0062":1}"""u8));
        Assert.Null(JsonTextCheck.Problem("<html>gateway</html>"u8));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CallerCancellation_PropagatesAsCancellationNotMilvusException()
    {
        var server = FakeMilvus.WithLoadedCollection();
        var index = Index(server);
        await index.EnsureCollectionAsync(Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.RemoveRepositoryAsync("r", cancelled.Token));
    }
}
