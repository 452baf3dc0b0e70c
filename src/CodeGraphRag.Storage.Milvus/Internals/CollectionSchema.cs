using System.Globalization;
using System.Text.Json;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>The chunk collection's schema, indexes and the check of an existing collection against them.</summary>
internal static class CollectionSchema
{
    /// <summary>Scalar and vector fields in schema order: name, Milvus type, VarChar max length (0 when not a VarChar).</summary>
    public static readonly (string Name, string Type, int MaxLength)[] Fields =
    [
        (Constants.FieldId, "VarChar", 256),
        (Constants.FieldRepository, "VarChar", 1024),
        (Constants.FieldPath, "VarChar", 4096),
        (Constants.FieldLanguage, "VarChar", 128),
        (Constants.FieldSymbolPath, "VarChar", 4096),
        (Constants.FieldKind, "VarChar", 64),
        (Constants.FieldStartLine, "Int32", 0),
        (Constants.FieldEndLine, "Int32", 0),
        (Constants.FieldText, "VarChar", Constants.MaxVarCharBytes),
        (Constants.FieldTextDeflated, "Bool", 0),
        (Constants.FieldContentHash, "VarChar", 128),
        (Constants.FieldEmbeddingKey, "VarChar", 128),
        (Constants.FieldSignature, "VarChar", 16_384),
        (Constants.FieldClass, "VarChar", 32),
        (Constants.FieldLexicalText, "VarChar", Constants.MaxVarCharBytes),
        (Constants.FieldSparse, "SparseFloatVector", 0),
        (Constants.FieldEmbedding, "FloatVector", 0),
    ];

    public static int MaxLength(string field) => Array.Find(Fields, f => f.Name == field).MaxLength;

    /// <summary>The <c>collections/create</c> body: schema with the BM25 function, shard count and consistency; no indexes (created explicitly after).</summary>
    public static byte[] CreateBody(MilvusRestClient client, MilvusOptions options) => JsonBody.Object(w =>
    {
        client.WriteTarget(w);
        w.WriteString("description", Constants.DescriptionPrefix + options.ModelId);
        w.WriteStartObject("schema");
        w.WriteBoolean("autoID", false);
        w.WriteBoolean("enableDynamicField", false);
        w.WriteStartArray("fields");
        foreach (var (name, type, maxLength) in Fields)
        {
            w.WriteStartObject();
            w.WriteString("fieldName", name);
            w.WriteString("dataType", type);
            if (name == Constants.FieldId)
            {
                w.WriteBoolean("isPrimary", true);
            }

            if (name == Constants.FieldRepository)
            {
                w.WriteBoolean("isPartitionKey", true);
            }

            if (maxLength > 0 || name == Constants.FieldEmbedding)
            {
                w.WriteStartObject("elementTypeParams");
                if (maxLength > 0)
                {
                    w.WriteNumber("max_length", maxLength);
                }

                if (name == Constants.FieldEmbedding)
                {
                    w.WriteNumber("dim", options.Dimensions);
                }

                if (name == Constants.FieldLexicalText)
                {
                    // CGR: the lexical text is already split into terms by our analyzer (the same text the embedded store's
                    // FTS5 indexes), so Milvus only splits on whitespace; lowercase and asciifolding mirror FTS5's unicode61
                    // case folding and diacritics removal for the odd term that still carries them.
                    w.WriteBoolean("enable_analyzer", true);
                    w.WriteStartObject("analyzer_params");
                    w.WriteString("tokenizer", "whitespace");
                    w.WriteStrings("filter", ["lowercase", "asciifolding"]);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("functions");
        w.WriteStartObject();
        w.WriteString("name", Constants.Bm25FunctionName);
        w.WriteString("type", "BM25");
        w.WriteStrings("inputFieldNames", [Constants.FieldLexicalText]);
        w.WriteStrings("outputFieldNames", [Constants.FieldSparse]);
        w.WriteStartObject("params");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("params");
        w.WriteNumber("shardsNum", options.Shards);
        w.WriteString("consistencyLevel", options.ConsistencyLevel);
        w.WriteEndObject();
    });

    /// <summary>Index names by field.</summary>
    public static readonly (string Field, string IndexName)[] Indexes =
    [
        (Constants.FieldEmbedding, "embedding_idx"),
        (Constants.FieldSparse, "sparse_bm25_idx"),
        (Constants.FieldRepository, "repo_idx"),
        (Constants.FieldPath, "path_idx"),

        // CGR: dense search and the vector backlog filter on the pending marker (a prefix match), on every query.
        (Constants.FieldEmbeddingKey, "embedding_key_idx"),
    ];

    /// <summary>The <c>indexes/create</c> body for the given fields (dense COSINE, sparse BM25, scalar INVERTED).</summary>
    public static byte[] CreateIndexBody(MilvusRestClient client, MilvusOptions options, IEnumerable<string> fields) => JsonBody.Object(w =>
    {
        client.WriteTarget(w);
        w.WriteStartArray("indexParams");
        foreach (var field in fields)
        {
            var indexName = Array.Find(Indexes, i => i.Field == field).IndexName;
            w.WriteStartObject();
            w.WriteString("fieldName", field);
            w.WriteString("indexName", indexName);
            switch (field)
            {
                case Constants.FieldEmbedding:
                    w.WriteString("metricType", "COSINE");
                    w.WriteString("indexType", options.IndexType);
                    if (options.IndexType == "HNSW")
                    {
                        w.WriteStartObject("params");
                        w.WriteNumber("M", options.HnswM);
                        w.WriteNumber("efConstruction", options.HnswEfConstruction);
                        w.WriteEndObject();
                    }

                    break;
                case Constants.FieldSparse:
                    // CGR: k1 and b equal FTS5's bm25() defaults, so scores rank like the embedded backend's.
                    w.WriteString("metricType", "BM25");
                    w.WriteString("indexType", "SPARSE_INVERTED_INDEX");
                    w.WriteStartObject("params");
                    w.WriteString("inverted_index_algo", "DAAT_MAXSCORE");
                    w.WriteNumber("bm25_k1", 1.2);
                    w.WriteNumber("bm25_b", 0.75);
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteString("indexType", "INVERTED");
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>
    /// Checks a <c>collections/describe</c> answer against the expected schema; returns the fields whose index is missing.
    /// </summary>
    /// <exception cref="MilvusException">The collection exists with another schema (dimension, types, keys, function, metric, model).</exception>
    public static IReadOnlyList<string> Validate(JsonElement description, MilvusOptions options)
    {
        var collection = options.Collection;
        if (description.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String
            && text.GetString() is { } value && value.StartsWith(Constants.DescriptionPrefix, StringComparison.Ordinal)
            && value[Constants.DescriptionPrefix.Length..] != options.ModelId)
        {
            throw Mismatch(collection, "(collection)", $"vectors of model '{options.ModelId}'", $"vectors of model '{value[Constants.DescriptionPrefix.Length..]}'");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (description.TryGetProperty("fields", out var fieldArray) && fieldArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in fieldArray.EnumerateArray())
            {
                if (field.TryGetProperty("name", out var name) && name.GetString() is { } n)
                {
                    fields[n] = field;
                }
            }
        }

        foreach (var (name, type, _) in Fields)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                throw Mismatch(collection, name, $"a {type} field", "no such field");
            }

            var actualType = TypeName(field);
            if (actualType != type)
            {
                throw Mismatch(collection, name, type, actualType ?? "no type");
            }
        }

        if (!Flag(fields[Constants.FieldId], "primaryKey"))
        {
            throw Mismatch(collection, Constants.FieldId, "the primary key", "not the primary key");
        }

        if (!Flag(fields[Constants.FieldRepository], "partitionKey"))
        {
            throw Mismatch(collection, Constants.FieldRepository, "the partition key", "not the partition key");
        }

        var dimension = Dimension(fields[Constants.FieldEmbedding]);
        if (dimension != options.Dimensions)
        {
            throw Mismatch(collection, Constants.FieldEmbedding, $"dimension {options.Dimensions}", dimension is null ? "no dimension" : $"dimension {dimension}");
        }

        if (!HasBm25Function(description, fields[Constants.FieldSparse]))
        {
            throw Mismatch(collection, Constants.FieldSparse, $"the output of a BM25 function over '{Constants.FieldLexicalText}'", "no such function");
        }

        var indexed = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (description.TryGetProperty("indexes", out var indexArray) && indexArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var index in indexArray.EnumerateArray())
            {
                if (index.TryGetProperty("fieldName", out var f) && f.GetString() is { } fieldName)
                {
                    indexed[fieldName] = index.TryGetProperty("metricType", out var m) ? m.GetString() : null;
                }
            }
        }

        if (indexed.TryGetValue(Constants.FieldEmbedding, out var metric) && metric is not null && metric != "COSINE")
        {
            throw Mismatch(collection, Constants.FieldEmbedding, "an index with metric COSINE", $"metric {metric}");
        }

        return Indexes.Select(i => i.Field).Where(f => !indexed.ContainsKey(f)).ToList();
    }

    private static MilvusException Mismatch(string collection, string field, string expected, string actual) =>
        new(
            "EnsureCollection",
            collection,
            null,
            null,
            $"the existing collection does not match this deployment: field '{field}' expected {expected}, found {actual}. " +
            $"Point {Constants.ConfigurationSection}:Collection at another collection, or drop this one and re-index.");

    /// <summary>The type without the <c>(dim)</c>/<c>(max_length)</c> suffix older servers append.</summary>
    private static string? TypeName(JsonElement field)
    {
        if (!field.TryGetProperty("type", out var type) || type.GetString() is not { } name)
        {
            return null;
        }

        var paren = name.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? name : name[..paren];
    }

    private static bool Flag(JsonElement field, string name) =>
        field.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static int? Dimension(JsonElement field)
    {
        if (field.TryGetProperty("params", out var parameters))
        {
            if (parameters.ValueKind == JsonValueKind.Array)
            {
                foreach (var pair in parameters.EnumerateArray())
                {
                    if (pair.TryGetProperty("key", out var key) && key.GetString() == "dim" && pair.TryGetProperty("value", out var v)
                        && MilvusResponse.TryReadInt(v, out var dim))
                    {
                        return dim;
                    }
                }
            }
            else if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("dim", out var v) && MilvusResponse.TryReadInt(v, out var dim))
            {
                return dim;
            }
        }

        // CGR: servers that answer in the v1 style render the dimension into the type, e.g. FloatVector(384).
        if (field.TryGetProperty("type", out var type) && type.GetString() is { } name)
        {
            var open = name.IndexOf('(', StringComparison.Ordinal);
            if (open > 0 && name.EndsWith(')') && int.TryParse(name.AsSpan(open + 1, name.Length - open - 2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var dim))
            {
                return dim;
            }
        }

        return null;
    }

    private static bool HasBm25Function(JsonElement description, JsonElement sparseField)
    {
        if (description.TryGetProperty("functions", out var functions) && functions.ValueKind == JsonValueKind.Array)
        {
            foreach (var function in functions.EnumerateArray())
            {
                if (function.TryGetProperty("type", out var type) && IsBm25(type)
                    && Contains(function, "inputFieldNames", Constants.FieldLexicalText)
                    && Contains(function, "outputFieldNames", Constants.FieldSparse))
                {
                    return true;
                }
            }

            return false;
        }

        return Flag(sparseField, "isFunctionOutput");
    }

    // CGR: the function type is a protobuf enum; handlers render it as its name or as its number (BM25 = 1).
    private static bool IsBm25(JsonElement type) =>
        (type.ValueKind == JsonValueKind.String && type.GetString() == "BM25") || (type.ValueKind == JsonValueKind.Number && type.GetRawText() == "1");

    private static bool Contains(JsonElement element, string property, string value) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
        && array.EnumerateArray().Any(item => item.GetString() == value);
}
