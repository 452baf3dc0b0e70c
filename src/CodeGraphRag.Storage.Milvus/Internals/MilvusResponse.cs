using System.Net;
using System.Text.Json;
using CodeGraphRag.Abstractions.Json;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>The REST v2 envelope: <c>{"code":0,"data":...}</c> or <c>{"code":N,"message":"..."}</c>, mostly with HTTP 200.</summary>
internal static class MilvusResponse
{
    /// <summary>
    /// Codes worth retrying: service not ready/unavailable (1, 2), request and rate limits (4, 8), collection still loading (103),
    /// the REST rate limiter (1807) and the server-side request timeout (10001).
    /// </summary>
    public static bool IsTransientCode(int code) => code is 1 or 2 or 4 or 8 or 103 or 1807 or 10001;

    /// <summary>The <c>data</c> of a successful response (undefined when absent), or a <see cref="MilvusException"/>.</summary>
    public static JsonElement Parse(string operation, string collection, HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        if (JsonTextCheck.Problem(body) is { } problem)
        {
            throw new MilvusException(operation, collection, null, status, $"Milvus answered with text that cannot be read: {problem}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            var text = body.Length == 0 ? "an empty body" : "a body that is not JSON";
            throw new MilvusException(operation, collection, null, status, $"Milvus answered with {text}.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var codeElement) || !TryReadInt(codeElement, out var code))
            {
                throw new MilvusException(operation, collection, null, status, "Milvus answered without a response code.");
            }

            var hasMessage = root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String;

            // CGR: v2 answers code 0; legacy handlers (and some 2.5 ones, e.g. indexes/describe) answer 200 on success.
            // Error envelopes always carry a message, and merr code 200 (partition not found) never arises without one.
            if (code == 0 || (code == 200 && !hasMessage))
            {
                return root.TryGetProperty("data", out var data) ? data.Clone() : default;
            }

            var message = hasMessage ? messageElement.GetString()! : "no message";
            throw new MilvusException(operation, collection, code, status, message);
        }
    }

    /// <summary>Reads only the top-level <c>code</c> (used by the retry predicate before the body is parsed in full).</summary>
    public static bool TryReadCode(ReadOnlySpan<byte> body, out int code)
    {
        code = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return false;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var isCode = reader.ValueTextEquals("code"u8);
                reader.Read();
                if (isCode)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out code);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    /// <summary>An integer sent as a JSON number or as a string (Int64 values arrive as strings when the server is told to).</summary>
    public static bool TryReadInt(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out value),
            JsonValueKind.String => int.TryParse(element.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>A long sent as a number or a string.</summary>
    public static bool TryReadLong(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(element.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }
}
