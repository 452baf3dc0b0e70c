using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CodeGraphRag.Abstractions.Json;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>
/// HTTP to Neo4j: the Query API (<c>/db/&lt;db&gt;/query/v2</c>, explicit transactions under <c>/tx</c>) or the legacy
/// transactional endpoint (<c>/db/&lt;db&gt;/tx/commit</c>). Checks the <c>errors</c> array of every response whatever its
/// status, retries transient failures with exponential backoff and surfaces everything else as <see cref="Neo4jException"/>.
/// </summary>
internal sealed partial class Neo4jTransport
{
    private static readonly JsonSerializerOptions ParameterJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly Neo4jOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _root;
    private readonly string _database;

    /// <summary>Bookmarks of the last write on the Query API, sent with reads so a cluster reader waits for that write.</summary>
    private volatile string[] _bookmarks = [];

    public Neo4jTransport(HttpClient http, Neo4jOptions options, ILogger logger, TimeProvider time)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _time = time;
        _database = options.Database;
        _root = $"{options.Url.TrimEnd('/')}/db/{Uri.EscapeDataString(options.Database)}";
        _authorization = options.User.Length == 0
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
    }

    /// <summary>One statement in its own auto-commit transaction.</summary>
    public async Task<Neo4jResult> RunAsync(string operation, CypherStatement statement, bool read, CancellationToken cancellationToken) =>
        (await RunInTransactionAsync(operation, [statement], read, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Independent read statements: one request on the transactional endpoint, concurrent requests on the Query API.
    /// </summary>
    public async Task<IReadOnlyList<Neo4jResult>> RunReadsAsync(string operation, IReadOnlyList<CypherStatement> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return [];
        }

        if (_options.UseTransactionalApi || statements.Count == 1)
        {
            return await RunInTransactionAsync(operation, statements, read: true, cancellationToken).ConfigureAwait(false);
        }

        var tasks = statements.Select(s => RunAsync(operation, s, read: true, cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// The statements, in order, in one transaction: one <c>tx/commit</c> request on the transactional endpoint; on the
    /// Query API one implicit request for a single statement, otherwise an explicit transaction (open, run, commit; rolled
    /// back on failure). A transient failure retries the whole transaction.
    /// </summary>
    public Task<IReadOnlyList<Neo4jResult>> RunInTransactionAsync(string operation, IReadOnlyList<CypherStatement> statements, bool read, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Neo4jResult>>([]);
        }

        return WithRetriesAsync(operation, ct =>
            _options.UseTransactionalApi ? CommitTransactionalAsync(operation, statements, ct)
            : statements.Count == 1 ? QueryAsync(operation, statements[0], read, ct)
            : ExplicitQueryTransactionAsync(operation, statements, ct),
            cancellationToken);
    }

    private async Task<IReadOnlyList<Neo4jResult>> QueryAsync(string operation, CypherStatement statement, bool read, CancellationToken cancellationToken)
    {
        var (root, _) = await SendAsync(operation, HttpMethod.Post, "/query/v2", QueryBody(statement, read, read ? _bookmarks : []), null, cancellationToken).ConfigureAwait(false);
        if (!read)
        {
            RememberBookmarks(root);
        }

        return [Neo4jResult.FromQueryApi(root)];
    }

    private void RememberBookmarks(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("bookmarks", out var bookmarks) && bookmarks.ValueKind == JsonValueKind.Array
            && bookmarks.GetArrayLength() > 0)
        {
            _bookmarks = [.. bookmarks.EnumerateArray().Select(b => b.GetString()).OfType<string>()];
        }
    }

    private async Task<IReadOnlyList<Neo4jResult>> ExplicitQueryTransactionAsync(string operation, IReadOnlyList<CypherStatement> statements, CancellationToken cancellationToken)
    {
        var (opened, affinity) = await SendAsync(operation, HttpMethod.Post, "/query/v2/tx", QueryBody(statements[0], read: false, []), null, cancellationToken).ConfigureAwait(false);
        var id = opened.TryGetProperty("transaction", out var transaction) && transaction.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new Neo4jException(operation, _database, null, null, false, "the Query API opened a transaction without an id.");
        }

        var results = new List<Neo4jResult> { Neo4jResult.FromQueryApi(opened) };
        var path = $"/query/v2/tx/{Uri.EscapeDataString(id)}";
        try
        {
            for (var i = 1; i < statements.Count - 1; i++)
            {
                var (root, _) = await SendAsync(operation, HttpMethod.Post, path, QueryBody(statements[i], read: false, []), affinity, cancellationToken).ConfigureAwait(false);
                results.Add(Neo4jResult.FromQueryApi(root));
            }

            var (committed, _) = await SendAsync(operation, HttpMethod.Post, path + "/commit", QueryBody(statements[^1], read: false, []), affinity, cancellationToken).ConfigureAwait(false);
            RememberBookmarks(committed);
            results.Add(Neo4jResult.FromQueryApi(committed));
            return results;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await RollbackAsync(operation, path, affinity).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RollbackAsync(string operation, string path, string? affinity)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            await SendAsync(operation, HttpMethod.Delete, path, null, affinity, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Neo4jException or HttpRequestException or OperationCanceledException)
        {
            // CGR: the server rolls back a failed or expired transaction by itself; the explicit rollback only frees it sooner.
            LogRollbackFailed(_logger, operation, _database, e.Message);
        }
    }

    private async Task<IReadOnlyList<Neo4jResult>> CommitTransactionalAsync(string operation, IReadOnlyList<CypherStatement> statements, CancellationToken cancellationToken)
    {
        var (root, _) = await SendAsync(operation, HttpMethod.Post, "/tx/commit", TransactionalBody(statements), null, cancellationToken).ConfigureAwait(false);
        var results = root.TryGetProperty("results", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(Neo4jResult.FromTransactional).ToList()
            : [];
        if (results.Count != statements.Count)
        {
            throw new Neo4jException(operation, _database, null, null, false, $"the transactional endpoint returned {results.Count} results for {statements.Count} statements.");
        }

        return results;
    }

    private async Task<T> WithRetriesAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Neo4jException e) when (e.IsTransient && retry < _options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromTicks(_options.RetryBaseDelay.Ticks * (1L << Math.Min(retry, 16)));
                LogRetry(_logger, operation, _database, e.Code ?? e.StatusCode?.ToString() ?? "timeout", retry + 1, _options.MaxRetries, delay);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Sends one request under <see cref="Neo4jOptions.RequestTimeout"/>; returns the parsed body and the cluster affinity header.</summary>
    private async Task<(JsonElement Root, string? Affinity)> SendAsync(
        string operation, HttpMethod method, string path, byte[]? body, string? affinity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _root + path);
        request.Headers.Accept.Add(AcceptJson);
        request.Headers.Authorization = _authorization;
        if (affinity is not null)
        {
            request.Headers.TryAddWithoutValidation(Constants.ClusterAffinityHeader, affinity);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpStatusCode status;
        byte[] answer;
        string? responseAffinity;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            responseAffinity = response.Headers.TryGetValues(Constants.ClusterAffinityHeader, out var values) ? values.FirstOrDefault() : null;
            answer = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Neo4jException(operation, _database, null, null, true, $"no response from {_options.Url} within {_options.RequestTimeout}.", e);
        }
        catch (HttpRequestException e)
        {
            throw new Neo4jException(operation, _database, null, null, true, $"could not reach {_options.Url}: {e.Message}", e);
        }

        return (Interpret(operation, _database, method, status, answer), responseAffinity ?? affinity);
    }

    /// <summary>
    /// A response body read as Neo4j's answer: the parsed object, <c>default</c> for an empty answer to a DELETE, or a
    /// <see cref="Neo4jException"/> for an <c>errors</c> array (whatever the status), a failed status or a body that is not a
    /// JSON object. Any body, however malformed, ends in one of these.
    /// </summary>
    internal static JsonElement Interpret(string operation, string database, HttpMethod method, HttpStatusCode status, byte[] body)
    {
        if (JsonTextCheck.Problem(body) is { } problem)
        {
            throw new Neo4jException(operation, database, null, status, false, $"the response cannot be read: {problem}.");
        }

        var root = TryParse(body);
        if (root is { } parsed && parsed.ValueKind == JsonValueKind.Object && parsed.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var code = Member(first, "code");
            var message = Member(first, "message") ?? (first.ValueKind == JsonValueKind.Object ? null : Excerpt(first.GetRawText()));
            var more = errors.GetArrayLength() > 1 ? $" (and {errors.GetArrayLength() - 1} more errors)" : string.Empty;
            var transient = (code?.StartsWith("Neo.TransientError.", StringComparison.Ordinal) ?? false) || IsTransientStatus(status);
            throw new Neo4jException(operation, database, code, status, transient, (message ?? "no message") + more);
        }

        if (!IsSuccess(status))
        {
            throw new Neo4jException(operation, database, null, status, IsTransientStatus(status), $"HTTP {(int)status} {status}: {Excerpt(body)}");
        }

        if (root is null || root.Value.ValueKind != JsonValueKind.Object)
        {
            if (method == HttpMethod.Delete && body.Length == 0)
            {
                return default;
            }

            throw new Neo4jException(operation, database, null, status, false, $"the response is not a JSON object: {Excerpt(body)}");
        }

        return root.Value;
    }

    /// <summary>A string member of an error entry; null when the entry is not an object or the member is not a string.</summary>
    private static string? Member(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static JsonElement? TryParse(byte[] body)
    {
        var json = body.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Excerpt(byte[] body) => Excerpt(Encoding.UTF8.GetString(body));

    private static string Excerpt(string text)
    {
        var t = text.ReplaceLineEndings(" ").Trim();
        return t.Length == 0 ? "(empty body)" : t.Length <= 200 ? t : t[..200] + "…";
    }

    internal static byte[] QueryBody(CypherStatement statement, bool read, IReadOnlyList<string> bookmarks)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ParameterJson.Encoder }))
        {
            writer.WriteStartObject();
            WriteStatement(writer, statement);
            if (read)
            {
                writer.WriteString("accessMode", "Read");
            }

            if (bookmarks.Count > 0)
            {
                writer.WriteStartArray("bookmarks");
                foreach (var bookmark in bookmarks)
                {
                    writer.WriteStringValue(bookmark);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static byte[] TransactionalBody(IReadOnlyList<CypherStatement> statements)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ParameterJson.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("statements");
            foreach (var statement in statements)
            {
                writer.WriteStartObject();
                WriteStatement(writer, statement);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteStatement(Utf8JsonWriter writer, CypherStatement statement)
    {
        writer.WriteString("statement", statement.Text);
        writer.WritePropertyName("parameters");
        JsonSerializer.Serialize(writer, statement.Parameters, ParameterJson);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neo4j {Operation} on {Database}: transient failure {Code}, retry {Retry} of {MaxRetries} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string operation, string database, string code, int retry, int maxRetries, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Neo4j {Operation} on {Database}: rollback failed: {Reason}")]
    private static partial void LogRollbackFailed(ILogger logger, string operation, string database, string reason);
}
