using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>Writes request bodies with <see cref="Utf8JsonWriter"/>: exact field order, no HTML escaping of filter quotes.</summary>
internal static class JsonBody
{
    // CGR: the default encoder writes '"' inside filters as \u0022 and every non-ASCII character escaped; both are valid
    // JSON, but relaxed escaping keeps bodies readable in logs and in the wire tests.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An object body: <c>{ ... }</c> with what <paramref name="write"/> writes inside.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteStrings(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public static void WriteVector(this Utf8JsonWriter writer, ReadOnlySpan<float> vector)
    {
        writer.WriteStartArray();
        foreach (var value in vector)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
