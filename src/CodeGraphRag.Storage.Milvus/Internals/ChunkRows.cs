using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>Maps <see cref="ChunkRecord"/>s to and from the row-oriented JSON of the chunk collection.</summary>
internal static class ChunkRows
{
    /// <summary>Every stored field except the vectors, in the order queries ask for them.</summary>
    public static readonly string[] RecordFields =
    [
        Constants.FieldId, Constants.FieldRepository, Constants.FieldPath, Constants.FieldLanguage, Constants.FieldSymbolPath,
        Constants.FieldKind, Constants.FieldStartLine, Constants.FieldEndLine, Constants.FieldText, Constants.FieldTextDeflated,
        Constants.FieldContentHash, Constants.FieldEmbeddingKey, Constants.FieldLexicalText, Constants.FieldSignature, Constants.FieldClass,
    ];

    /// <summary>
    /// Marks the stored embedding key of a chunk written before its vector (<see cref="FileUpdate.VectorsFollow"/>): its row
    /// holds <see cref="PendingVector"/> and the key <c>pending:</c> + the key its vector will be computed for.
    /// </summary>
    public const string PendingPrefix = "pending:";

    /// <summary>The expression that keeps pending rows out of dense search.</summary>
    public static readonly string NotPending = $"not ({Constants.FieldEmbeddingKey} like {FilterExpression.Literal(PendingPrefix + "%")})";

    /// <summary>The expression that selects the pending rows.</summary>
    public static readonly string Pending = $"{Constants.FieldEmbeddingKey} like {FilterExpression.Literal(PendingPrefix + "%")}";

    /// <summary>
    /// The placeholder of a row whose vector is not computed yet: a unit vector drawn from the chunk id, so placeholders are
    /// spread like random points (thousands of identical vectors would crowd one spot of the HNSW graph) and a re-write of
    /// the same chunk writes the same row. Dense search never sees it (<see cref="NotPending"/>).
    /// </summary>
    public static float[] PendingVector(string chunkId, int dimensions)
    {
        // CGR: FNV-1a of the id (string.GetHashCode differs per process), then the seeded generator, stable across runs.
        var seed = 2166136261u;
        foreach (var c in chunkId)
        {
            seed = (seed ^ c) * 16777619u;
        }

        var random = new Random(unchecked((int)seed));
        var vector = new float[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    /// <summary>The stored key of a pending chunk whose vector will be computed for <paramref name="embeddingKey"/>.</summary>
    public static string PendingKey(string embeddingKey) => PendingPrefix + embeddingKey;

    /// <summary>One upsert row as UTF-8 JSON.</summary>
    /// <exception cref="ArgumentException">A value exceeds its field's length even after the text codecs.</exception>
    public static byte[] Serialize(ChunkRecord chunk, ReadOnlySpan<float> vector)
    {
        CheckLength(chunk, Constants.FieldId, chunk.Id);
        CheckLength(chunk, Constants.FieldRepository, chunk.Repository);
        CheckLength(chunk, Constants.FieldPath, chunk.Path);
        CheckLength(chunk, Constants.FieldLanguage, chunk.Language ?? string.Empty);
        CheckLength(chunk, Constants.FieldSymbolPath, chunk.SymbolPath ?? string.Empty);
        CheckLength(chunk, Constants.FieldContentHash, chunk.ContentHash ?? string.Empty);
        CheckLength(chunk, Constants.FieldEmbeddingKey, chunk.EmbeddingKey ?? string.Empty);
        CheckLength(chunk, Constants.FieldSignature, chunk.Signature ?? string.Empty);
        var (text, deflated) = TextCodec.Encode(chunk.Text ?? string.Empty);
        if (Encoding.UTF8.GetByteCount(text) > Constants.MaxVarCharBytes)
        {
            throw new ArgumentException(
                $"Chunk {chunk.Id} ({chunk.Repository}:{chunk.Path}:{chunk.StartLine}) has {Encoding.UTF8.GetByteCount(chunk.Text!)} bytes of text that do not fit Milvus' {Constants.MaxVarCharBytes}-byte VarChar even compressed.",
                nameof(chunk));
        }

        var buffer = new ArrayBufferWriter<byte>(1024 + (vector.Length * 12) + text.Length);
        using (var writer = new Utf8JsonWriter(buffer, JsonBody.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(Constants.FieldId, chunk.Id);
            writer.WriteString(Constants.FieldRepository, chunk.Repository);
            writer.WriteString(Constants.FieldPath, chunk.Path);
            writer.WriteString(Constants.FieldLanguage, chunk.Language ?? string.Empty);
            writer.WriteString(Constants.FieldSymbolPath, chunk.SymbolPath ?? string.Empty);
            writer.WriteString(Constants.FieldKind, chunk.Kind.ToString());
            writer.WriteNumber(Constants.FieldStartLine, chunk.StartLine);
            writer.WriteNumber(Constants.FieldEndLine, chunk.EndLine);
            writer.WriteString(Constants.FieldText, text);
            writer.WriteBoolean(Constants.FieldTextDeflated, deflated);
            writer.WriteString(Constants.FieldContentHash, chunk.ContentHash ?? string.Empty);
            writer.WriteString(Constants.FieldEmbeddingKey, chunk.EmbeddingKey ?? string.Empty);
            writer.WriteString(Constants.FieldLexicalText, LexicalCodec.Fit(chunk.LexicalText ?? string.Empty));
            writer.WriteString(Constants.FieldSignature, chunk.Signature ?? string.Empty);
            writer.WriteString(Constants.FieldClass, chunk.Class.Name());
            writer.WritePropertyName(Constants.FieldEmbedding);
            writer.WriteVector(vector);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A queried row (asked for <see cref="RecordFields"/>) as a record.</summary>
    /// <exception cref="FormatException">A field is missing or has the wrong type.</exception>
    public static ChunkRecord Read(JsonElement row)
    {
        RequireObject(row);
        var text = String(row, Constants.FieldText);
        if (row.TryGetProperty(Constants.FieldTextDeflated, out var deflated) && deflated.ValueKind == JsonValueKind.True)
        {
            text = TextCodec.Decode(text);
        }

        var signature = String(row, Constants.FieldSignature);
        return new ChunkRecord(
            String(row, Constants.FieldId),
            String(row, Constants.FieldRepository),
            String(row, Constants.FieldPath),
            String(row, Constants.FieldLanguage),
            String(row, Constants.FieldSymbolPath),
            Kind(String(row, Constants.FieldKind)),
            Int(row, Constants.FieldStartLine),
            Int(row, Constants.FieldEndLine),
            text,
            String(row, Constants.FieldContentHash),
            Unpending(String(row, Constants.FieldEmbeddingKey)),
            String(row, Constants.FieldLexicalText),
            signature.Length == 0 ? null : signature,
            FileClasses.ParseStored(row.TryGetProperty(Constants.FieldClass, out var fileClass) && fileClass.ValueKind == JsonValueKind.String ? fileClass.GetString() : null));
    }

    /// <summary>The embedding key a stored key stands for: a pending row's key without its marker.</summary>
    public static string Unpending(string storedKey) =>
        storedKey.StartsWith(PendingPrefix, StringComparison.Ordinal) ? storedKey[PendingPrefix.Length..] : storedKey;

    /// <exception cref="FormatException"><paramref name="row"/> is not a JSON object.</exception>
    public static void RequireObject(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Milvus returned a row that is not an object: {row.ValueKind}.");
        }
    }

    private static ChunkKind Kind(string value) =>
        Enum.TryParse<ChunkKind>(value, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new FormatException($"Milvus returned a row of unknown kind '{(value.Length <= 40 ? value : value[..40] + "…")}'.");

    /// <summary>A string field; ids may arrive as numbers when a server renders Int64 keys.</summary>
    public static string String(JsonElement row, string field)
    {
        RequireObject(row);
        if (!row.TryGetProperty(field, out var value))
        {
            throw new FormatException($"Milvus returned a row without field '{field}'.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => string.Empty,
            _ => throw new FormatException($"Milvus returned field '{field}' as {value.ValueKind}, expected a string."),
        };
    }

    public static int Int(JsonElement row, string field)
    {
        RequireObject(row);
        if (!row.TryGetProperty(field, out var value) || !MilvusResponse.TryReadInt(value, out var result))
        {
            throw new FormatException($"Milvus returned a row without an integer field '{field}'.");
        }

        return result;
    }

    public static float[] Vector(JsonElement row, string field)
    {
        RequireObject(row);
        if (!row.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Milvus returned a row without vector field '{field}'.");
        }

        var vector = new float[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            vector[i++] = item.ValueKind == JsonValueKind.Number && item.TryGetSingle(out var component) && float.IsFinite(component)
                ? component
                : throw new FormatException($"Milvus returned a vector field '{field}' with a component that is not a finite number.");
        }

        return vector;
    }

    private static void CheckLength(ChunkRecord chunk, string field, string value)
    {
        var limit = CollectionSchema.MaxLength(field);
        if (value.Length > limit / 4 && Encoding.UTF8.GetByteCount(value) > limit)
        {
            throw new ArgumentException($"Chunk {chunk.Id} ({chunk.Repository}:{chunk.Path}) has a {field} longer than the collection's {limit} bytes.", nameof(chunk));
        }
    }
}

/// <summary>
/// Chunk text above Milvus' VarChar limit is stored deflated and base64-encoded, flagged by <c>text_deflated</c>
/// (chunkers keep real chunks far below it; this keeps rare huge chunks, such as minified files, intact).
/// </summary>
internal static class TextCodec
{
    public static (string Text, bool Deflated) Encode(string text)
    {
        if (text.Length <= Constants.MaxVarCharBytes / 4 || Encoding.UTF8.GetByteCount(text) <= Constants.MaxVarCharBytes)
        {
            return (text, false);
        }

        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(text));
        }

        return (Convert.ToBase64String(output.GetBuffer(), 0, (int)output.Length), true);
    }

    public static string Decode(string stored)
    {
        using var input = new MemoryStream(Convert.FromBase64String(stored));
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>Fits lexical text into one VarChar for the BM25 function.</summary>
internal static class LexicalCodec
{
    /// <summary>
    /// Text within the limit is unchanged. Longer text keeps each distinct term once, in first-seen order, then is cut at
    /// a term boundary: every term stays findable while term frequencies of such huge chunks flatten to one.
    /// </summary>
    public static string Fit(string lexical)
    {
        if (lexical.Length <= Constants.MaxVarCharBytes / 4 || Encoding.UTF8.GetByteCount(lexical) <= Constants.MaxVarCharBytes)
        {
            return lexical;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var term in lexical.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!seen.Add(term))
            {
                continue;
            }

            var size = Encoding.UTF8.GetByteCount(term) + (builder.Length == 0 ? 0 : 1);
            if (bytes + size > Constants.MaxVarCharBytes)
            {
                break;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(term);
            bytes += size;
        }

        return builder.ToString();
    }
}
