using System.Globalization;
using System.Text.Json;

namespace CodeGraphRag.Storage.Neo4j.Internals;

/// <summary>The rows of one statement, whichever of Neo4j's two row formats carried them.</summary>
internal sealed class Neo4jResult(IReadOnlyList<string> fields, IReadOnlyList<JsonElement[]> rows)
{
    public static Neo4jResult Empty { get; } = new([], []);

    public IReadOnlyList<string> Fields => fields;

    public IReadOnlyList<JsonElement[]> Rows => rows;

    /// <summary>Query API: <c>{"data":{"fields":[...],"values":[[...],...]}}</c>; tolerates the flat <c>values</c> of older docs.</summary>
    public static Neo4jResult FromQueryApi(JsonElement root)
    {
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var fields = ReadFields(data, "fields");
        var rows = new List<JsonElement[]>();
        if (data.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            var items = values.EnumerateArray().Select(v => v.Clone()).ToList();
            // CGR: a one-column result whose values are one-element lists reads as nested; our statements return two or more columns.
            if (items.TrueForAll(v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == fields.Count))
            {
                rows.AddRange(items.Select(v => v.EnumerateArray().ToArray()));
            }
            else if (fields.Count == 1)
            {
                // CGR: one column in the flat shape: every value is a row of its own.
                rows.AddRange(items.Select(v => new[] { v }));
            }
            else if (fields.Count > 0 && items.Count % fields.Count == 0)
            {
                // CGR: the flat shape of an older docs snapshot: values laid out row after row.
                for (var i = 0; i < items.Count; i += fields.Count)
                {
                    rows.Add([.. items.Skip(i).Take(fields.Count)]);
                }
            }
            else
            {
                throw new FormatException($"Query API values do not line up with {fields.Count} fields.");
            }
        }

        return new Neo4jResult(fields, rows);
    }

    /// <summary>Transactional endpoint: one <c>results[i]</c> entry: <c>{"columns":[...],"data":[{"row":[...]}]}</c>.</summary>
    /// <exception cref="FormatException">The entry, or one of its data entries, is not an object.</exception>
    public static Neo4jResult FromTransactional(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Neo4j returned a result that is not an object: {result.ValueKind}.");
        }

        var fields = ReadFields(result, "columns");
        var rows = new List<JsonElement[]>();
        if (result.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in data.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"Neo4j returned a data entry that is not an object: {entry.ValueKind}.");
                }

                if (entry.TryGetProperty("row", out var row) && row.ValueKind == JsonValueKind.Array)
                {
                    rows.Add([.. row.EnumerateArray().Select(v => v.Clone())]);
                }
            }
        }

        return new Neo4jResult(fields, rows);
    }

    /// <exception cref="FormatException">A field name is not a string.</exception>
    private static List<string> ReadFields(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var fields) && fields.ValueKind == JsonValueKind.Array
            ? [.. fields.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String
                ? f.GetString()!
                : throw new FormatException($"Neo4j returned a {name} entry that is not a string: {f.ValueKind}."))]
            : [];
}

/// <summary>Reads values in plain JSON or in the Query API's typed JSON (<c>{"$type":"Integer","_value":"42"}</c>).</summary>
internal static class Neo4jValue
{
    public static JsonElement Unwrap(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$type", out _) && value.TryGetProperty("_value", out var inner) ? inner : value;

    public static bool IsNull(JsonElement value) => Unwrap(value).ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public static string? String(JsonElement value)
    {
        var v = Unwrap(value);
        return v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => v.GetString(),
            _ => v.GetRawText(),
        };
    }

    public static string RequiredString(JsonElement value) => String(value) ?? string.Empty;

    /// <summary>A 64-bit integer, exact for every value Neo4j stores (plain numbers beyond 2^53, typed strings, whole floats like <c>3.0</c>).</summary>
    public static long? Int64(JsonElement value)
    {
        var v = Unwrap(value);
        switch (v.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Number when v.TryGetInt64(out var exact):
                return exact;
            case JsonValueKind.Number when decimal.TryParse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d):
                return (long)d;
            case JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw new FormatException($"Expected an integer, got {v.ValueKind}: {Truncate(v.GetRawText())}.");
        }
    }

    public static int Int32(JsonElement value, int fallback = 0) => checked((int)(Int64(value) ?? fallback));

    public static bool Bool(JsonElement value)
    {
        var v = Unwrap(value);
        return v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out var b) && b);
    }

    public static List<string> StringList(JsonElement value)
    {
        var v = Unwrap(value);
        return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(e => String(e) ?? string.Empty)] : [];
    }

    public static IEnumerable<JsonElement> List(JsonElement value)
    {
        var v = Unwrap(value);
        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];
    }

    /// <summary>A map's entry (a node in row format is its property map; typed JSON maps are unwrapped).</summary>
    public static JsonElement Property(JsonElement map, string name)
    {
        var v = Unwrap(map);
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("properties", out var properties) && v.TryGetProperty("elementId", out _))
        {
            v = properties;
        }

        return v.ValueKind == JsonValueKind.Object && v.TryGetProperty(name, out var entry) ? entry : default;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
