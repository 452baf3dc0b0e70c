using System.Net;
using System.Text;
using System.Text.Json;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>One request as the client sent it.</summary>
internal sealed record RecordedRequest(HttpMethod Method, string Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The body re-serialised without whitespace, for exact comparison with an expected literal.</summary>
    public string CanonicalBody => Canonical(Body);

    public static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}

/// <summary>Records every request and answers from a script of responses (the last one repeats).</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>? _last;

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Respond(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        Then((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return Task.FromResult(response);
        });

    public RecordingHandler Respond(string body) => Respond(HttpStatusCode.Accepted, body);

    /// <summary>Never answers: waits until the client cancels (a request timeout).</summary>
    public RecordingHandler Hang() => Then(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    public RecordingHandler Fail(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    public RecordingHandler Then(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> response)
    {
        _script.Enqueue(response);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        var body = string.Empty;
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(",", values);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!.ToString(), headers, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> next;
        lock (_script)
        {
            next = _script.Count > 0 ? (_last = _script.Dequeue()) : _last ?? throw new InvalidOperationException("no scripted response");
        }

        return await next(recorded, cancellationToken);
    }
}
