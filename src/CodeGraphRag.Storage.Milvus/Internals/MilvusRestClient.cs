using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly.Timeout;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>POSTs JSON to <c>/v2/vectordb/...</c> and turns every envelope into data or a <see cref="MilvusException"/>.</summary>
/// <remarks>Retries live in the <see cref="HttpClient"/>'s resilience handler (see <see cref="MilvusResilience"/>); this class sees the final outcome.</remarks>
internal sealed class MilvusRestClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _baseUri;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _requestTimeoutSeconds;

    public MilvusRestClient(HttpClient http, MilvusOptions options)
    {
        _http = http;
        Collection = options.Collection;
        Database = string.IsNullOrEmpty(options.Database) ? null : options.Database;
        var url = options.Url.EndsWith('/') ? options.Url : options.Url + "/";
        _baseUri = new Uri(new Uri(url, UriKind.Absolute), Constants.ApiPrefix);
        _authorization = string.IsNullOrEmpty(options.Token) ? null : new AuthenticationHeaderValue("Bearer", options.Token);
        _requestTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.RequestTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    public string Collection { get; }

    public string? Database { get; }

    /// <summary>Writes <c>dbName</c> (when configured) and <c>collectionName</c>, the head of almost every body.</summary>
    public void WriteTarget(Utf8JsonWriter writer)
    {
        if (Database is not null)
        {
            writer.WriteString("dbName", Database);
        }

        writer.WriteString("collectionName", Collection);
    }

    /// <summary>Sends one request; returns its <c>data</c> (undefined when the response has none).</summary>
    /// <exception cref="MilvusException">Milvus answered with an error code, a non-JSON body, or the request failed after retries.</exception>
    public async Task<JsonElement> PostAsync(string path, string operation, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUri, path));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = s_json;
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("Request-Timeout", _requestTimeoutSeconds);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            var what = ex is HttpRequestException ? "the request failed" : "the request timed out";
            throw new MilvusException(operation, Collection, null, null, $"{what} after retries: {ex.Message}", ex);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return MilvusResponse.Parse(operation, Collection, response.StatusCode, bytes);
        }
    }
}
