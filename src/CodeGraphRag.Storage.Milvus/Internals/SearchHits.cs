using System.Text.Json;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>Reads the <c>data</c> of search and query responses.</summary>
internal static class SearchHits
{
    /// <summary>One search hit: the id, Milvus' score (<c>distance</c>: COSINE similarity, BM25 or RRF score) and the path when asked for.</summary>
    public readonly record struct Hit(string Id, double Score, string? Path);

    /// <summary>
    /// The hits of a one-query search. Servers answer a flat list of rows; some document a nested list per query, so a
    /// nested first element is unwrapped.
    /// </summary>
    /// <exception cref="FormatException">A hit has no id or no score.</exception>
    public static List<Hit> Read(JsonElement data)
    {
        var rows = Rows(data);
        if (rows.Count > 0 && rows[0].ValueKind == JsonValueKind.Array)
        {
            rows = rows[0].EnumerateArray().ToList();
        }

        var hits = new List<Hit>(rows.Count);
        foreach (var row in rows)
        {
            ChunkRows.RequireObject(row);
            var id = row.TryGetProperty(Constants.FieldId, out _) ? ChunkRows.String(row, Constants.FieldId)
                : row.TryGetProperty("id", out _) ? ChunkRows.String(row, "id")
                : throw new FormatException("Milvus returned a search hit without an id.");
            if (!row.TryGetProperty("distance", out var distance) || distance.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"Milvus returned search hit {id} without a distance.");
            }

            var path = row.TryGetProperty(Constants.FieldPath, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            hits.Add(new Hit(id, distance.GetDouble(), path));
        }

        return hits;
    }

    /// <summary>The rows of a query answer; none when <c>data</c> is absent or null.</summary>
    public static List<JsonElement> Rows(JsonElement data) =>
        data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [];
}
