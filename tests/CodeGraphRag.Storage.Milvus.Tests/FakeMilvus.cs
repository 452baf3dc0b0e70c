using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>One request the client sent.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Body, string? Authorization, string? RequestTimeout, string? ContentType);

/// <summary>
/// A scripted Milvus REST server: answers per path from a queue (then from a default), and records every request.
/// Paths are relative to <c>/v2/vectordb/</c>, e.g. <c>entities/search</c>.
/// </summary>
internal sealed class FakeMilvus : HttpMessageHandler
{
    private const string Prefix = "/v2/vectordb/";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>>> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _defaults = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];

    /// <summary>A server whose collection exists, matches <see cref="MilvusTestSetup.Options"/> and is loaded.</summary>
    public static FakeMilvus WithLoadedCollection()
    {
        var fake = new FakeMilvus();
        fake.Default("collections/has", """{"code":0,"data":{"has":true}}""");
        fake.Default("collections/describe", Fixture.Read("describe-collection.response.json"));
        fake.Default("collections/get_load_state", """{"code":0,"data":{"loadState":"LoadStateLoaded","loadProgress":100}}""");
        return fake;
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests after the startup checks (has, describe, load state).</summary>
    public IReadOnlyList<RecordedRequest> DataRequests =>
        Requests.Where(r => !r.Path.StartsWith("collections/", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedRequest> To(string path) => Requests.Where(r => r.Path == path).ToList();

    public void Default(string path, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        _defaults[path] = (_, _) => Task.FromResult(Json(json, status));

    public void Enqueue(string path, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        Enqueue(path, (_, _) => Task.FromResult(Json(json, status)));

    public void Enqueue(string path, Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> responder)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue(path, out var queue))
            {
                _queues[path] = queue = new Queue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>>();
            }

            queue.Enqueue(responder);
        }
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var absolute = request.RequestUri!.AbsolutePath;
        Assert.StartsWith(Prefix, absolute, StringComparison.Ordinal);
        var recorded = new RecordedRequest(
            request.Method.Method,
            absolute[Prefix.Length..],
            body,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Request-Timeout", out var timeout) ? string.Join(",", timeout) : null,
            request.Content?.Headers.ContentType?.MediaType);
        Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>? responder;
        lock (_gate)
        {
            _requests.Add(recorded);
            if (_queues.TryGetValue(recorded.Path, out var queue) && queue.Count > 0)
            {
                responder = queue.Dequeue();
            }
            else
            {
                _defaults.TryGetValue(recorded.Path, out responder);
            }
        }

        if (responder is null)
        {
            throw new InvalidOperationException($"The fake Milvus has no answer scripted for {recorded.Path}: {recorded.Body}");
        }

        return await responder(recorded, cancellationToken);
    }
}

/// <summary>Checked-in JSON fixtures and exact-JSON comparison.</summary>
internal static class Fixture
{
    private static readonly JsonSerializerOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The fixture parsed, for tests that change one detail of a documented response.</summary>
    public static JsonNode Node(string name) => JsonNode.Parse(Read(name))!;

    /// <summary>
    /// Asserts that <paramref name="actual"/> is exactly <paramref name="expected"/> written compactly: same properties in
    /// the same order, same values, same number spelling (only insignificant whitespace in the expectation is ignored).
    /// </summary>
    public static void AssertJson(string expected, string actual) => Assert.Equal(Compact(expected), actual);

    public static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString(s_compact);
}
