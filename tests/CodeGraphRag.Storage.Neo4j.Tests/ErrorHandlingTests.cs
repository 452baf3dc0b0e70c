using System.Net;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>Error envelopes on every status, partial failures, transient retries, timeouts and credential hygiene.</summary>
public sealed class ErrorHandlingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(HttpStatusCode.Accepted)]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task ClientErrorInErrorsArray_AnyStatus_SurfacesOnceWithOperationDatabaseAndCode(HttpStatusCode status)
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(status, """{"errors":[{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'X'"},{"code":"Neo.ClientError.Other","message":"b"}]}""");

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.GetManifestAsync("r", Ct));

        Assert.Single(handler.Requests);
        Assert.Equal(("GetManifest", "code", "Neo.ClientError.Statement.SyntaxError", false), (error.Operation, error.Database, error.Code, error.IsTransient));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains("Invalid input 'X'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task TransactionalPartialFailure_ResultsAndErrorsOnHttp200_ThrowsInsteadOfReturningPartialRows()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true));
        handler.Respond(
            HttpStatusCode.OK,
            """{"results":[{"columns":["status","reason","language","files","chunks","symbols","refs"],"data":[{"row":["Indexed",null,"py",1,1,1,1],"meta":[]}]}],"errors":[{"code":"Neo.ClientError.Statement.ArithmeticError","message":"/ by zero"}]}""");

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.GetStatsAsync("r", Ct));

        Assert.Equal("Neo.ClientError.Statement.ArithmeticError", error.Code);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task TransientErrorCode_RetriedThenSucceeds()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(HttpStatusCode.ServiceUnavailable, Responses.Error("Neo.TransientError.General.DatabaseUnavailable", "starting"))
            .Respond(Responses.Query(["path", "language", "contentHash", "size", "pipelineVersion", "status", "reason", "chunkCount"]));

        Assert.Empty(await index.GetManifestAsync("r", Ct));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task TransientHttpStatusWithoutBody_RetriedThenSucceeds(HttpStatusCode status)
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(status, string.Empty).Respond(Responses.Query(["name", "ok"], """["a",1]"""));

        await index.UpsertRepositoryAsync(new("a", "/a", null, null, null, []), Ct);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task TransientErrorEveryTime_RetriedMaxRetriesThenSurfacedAsTransient()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(maxRetries: 2));
        handler.Respond(HttpStatusCode.Accepted, Responses.Error("Neo.TransientError.Transaction.LockClientStopped", "stopped"));

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.RemoveFilesAsync("r", ["a.py"], Ct));

        Assert.Equal(3, handler.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.Equal(("RemoveFiles", "Neo.TransientError.Transaction.LockClientStopped"), (error.Operation, error.Code));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ServerErrorWithNonJsonBody_NotRetriedSurfacedWithStatus()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(HttpStatusCode.InternalServerError, "<html>oops</html>");

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.GetFileAsync("r", "a.py", Ct));

        Assert.Single(handler.Requests);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Null(error.Code);
        Assert.Contains("oops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SuccessStatusWithNonJsonBody_SurfacedAsFormatFailure()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(HttpStatusCode.OK, "not json");

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.GetFileAsync("r", "a.py", Ct));

        Assert.False(error.IsTransient);
        Assert.Contains("not a JSON object", error.Message, StringComparison.Ordinal);
    }

    // Found by scripts/fuzz.sh (neo4j-response target): each surfaced as an unexplained InvalidOperationException from
    // System.Text.Json. The inputs are kept in tests/fixtures/fuzz/neo4j-response/found-*.
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task UnreadableAnswers_SurfaceAsNeo4jErrorsNamingTheProblem()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        handler.Respond(HttpStatusCode.OK, """{"data":{"fields":["path"],"values":[["\udead"]]}}""");
        handler.Respond(HttpStatusCode.OK, """{"errors":[42,"x"]}""");
        handler.Respond(HttpStatusCode.OK, """{"data":{"fields":[["a.py"],3],"values":[]}}""");
        handler.Respond(HttpStatusCode.OK, "\uFEFF" + """{"data":{"fields":["path"],"values":[["\udead"]]}}""");

        var surrogate = await Assert.ThrowsAsync<Neo4jException>(() => index.GetFileAsync("r", "a.py", Ct));
        var errorNotObject = await Assert.ThrowsAsync<Neo4jException>(() => index.GetFileAsync("r", "a.py", Ct));
        var fieldNotString = await Assert.ThrowsAsync<FormatException>(() => index.GetFileAsync("r", "a.py", Ct));
        var surrogateAfterBom = await Assert.ThrowsAsync<Neo4jException>(() => index.GetFileAsync("r", "a.py", Ct));

        Assert.Contains("lone surrogate", surrogate.Message, StringComparison.Ordinal);
        Assert.False(errorNotObject.IsTransient);
        Assert.Contains("42 (and 1 more errors)", errorNotObject.Message, StringComparison.Ordinal);
        Assert.Contains("fields entry that is not a string: Array", fieldNotString.Message, StringComparison.Ordinal);
        Assert.Contains("lone surrogate", surrogateAfterBom.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task TransactionalResultThatIsNotAnObject_SurfacesAsFormatFailure()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(transactional: true));
        handler.Respond(HttpStatusCode.OK, """{"results":[[1,2]],"errors":[]}""");

        var error = await Assert.ThrowsAsync<FormatException>(() => index.GetFileAsync("r", "a.py", Ct));

        Assert.Contains("result that is not an object: Array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RequestTimeout_RetriedThenSurfacedAsTransientWithoutCode()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(150)));
        handler.Hang();

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.GetRepositoryAsync("a", Ct));

        Assert.Equal(2, handler.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.Null(error.Code);
        Assert.Contains("no response", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RequestTimeoutOnce_RetriedAndSucceeds()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(150)));
        handler.Hang().Respond(Responses.Query(["name", "source", "revision", "lastSyncStarted", "lastSyncCompleted", "readGroups"]));

        Assert.Null(await index.GetRepositoryAsync("a", Ct));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task CallerCancellation_NotRetriedNotWrapped()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        handler.Then(async (_, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.GetRepositoryAsync("a", cts.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ConnectionRefused_RetriedThenSurfacedWithInnerException()
    {
        var handler = new RecordingHandler();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(maxRetries: 1));
        handler.Fail(new HttpRequestException("Connection refused (graph.test:7474)"));

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.ListRepositoriesAsync(Ct));

        Assert.Equal(2, handler.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Unauthorized_NotRetried_PasswordNeverInMessageOrLogs()
    {
        var handler = new RecordingHandler();
        var logger = new CapturingLogger();
        using var index = await Neo4jFixture.CreateAsync(handler, Neo4jFixture.Options(maxRetries: 3), logger);
        handler.Respond(HttpStatusCode.ServiceUnavailable, string.Empty)
            .Respond(HttpStatusCode.Unauthorized, Responses.Error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure."));

        var error = await Assert.ThrowsAsync<Neo4jException>(() => index.ListRepositoriesAsync(Ct));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(("Neo.ClientError.Security.Unauthorized", HttpStatusCode.Unauthorized, false), (error.Code, error.StatusCode, error.IsTransient));
        Assert.NotEmpty(logger.Messages);
        var base64 = Neo4jFixture.Authorization["Basic ".Length..];
        foreach (var text in logger.Messages.Append(error.ToString()).Append(Neo4jFixture.Options().ToString()))
        {
            Assert.DoesNotContain(Neo4jFixture.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(base64, text, StringComparison.Ordinal);
        }
    }

    private sealed class CapturingLogger : ILogger<Neo4jGraphIndex>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception) + exception);
            }
        }
    }
}
