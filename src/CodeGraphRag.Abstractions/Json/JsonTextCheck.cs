using System.Text.Json;
using System.Text.Unicode;

namespace CodeGraphRag.Abstractions.Json;

/// <summary>
/// Checks, before JSON from outside (a server's answer, a line of an input file) is read, that every string in it can be
/// read: the bytes are UTF-8 and no escape names a lone surrogate (<c>"\udead"</c>). <see cref="JsonElement.GetString"/>
/// throws an unexplained <see cref="InvalidOperationException"/> on either, deep inside whatever reads the value; checked
/// first, the reader can name the source and the problem instead.
/// </summary>
public static class JsonTextCheck
{
    /// <summary>Null when every string of <paramref name="utf8Json"/> is readable (or it is not JSON at all), else the problem.</summary>
    public static string? Problem(ReadOnlySpan<byte> utf8Json)
    {
        if (!Utf8.IsValid(utf8Json))
        {
            return "not valid UTF-8";
        }

        // CGR: Utf8JsonReader refuses a byte order mark, which JsonDocument and the stores' parsers skip; so must this check.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the caller's parser reports that in its own words.
        }
        catch (InvalidOperationException)
        {
            return "a string with an escaped lone surrogate";
        }

        return null;
    }
}
