using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Abstractions.Json;

namespace CodeGraphRag.Evaluation;

/// <summary>Reads and writes the evaluation query format: JSON Lines, one query per line.</summary>
/// <remarks>
/// Each line is <c>{"id", "query", "gold": [...], "repo"?, "commit"?, "language"?}</c>; gold items are
/// repository-relative paths or <c>{"path", "start"?, "end"?, "grade"?}</c> objects. <c>id</c> may be a string
/// or a number. Blank lines are skipped; unknown properties are ignored. Thread-safe.
/// </remarks>
public static class EvalQueryJsonl
{
    /// <summary>Reads every query.</summary>
    /// <param name="reader">The JSONL text.</param>
    /// <returns>The queries in file order.</returns>
    /// <exception cref="EvalFormatException">A line is malformed or an id repeats; the message names the line.</exception>
    public static IReadOnlyList<EvalQuery> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new List<EvalQuery>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var query = ParseLine(line, lineNumber);
            if (!ids.TryAdd(query.Id, lineNumber))
            {
                throw new EvalFormatException(lineNumber, $"id '{query.Id}' was already used on line {ids[query.Id]}; ids must be unique.");
            }

            result.Add(query);
        }

        return result;
    }

    /// <summary>Writes queries in the format <see cref="Read"/> accepts (adapters' output can be saved and edited).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="queries">The queries.</param>
    public static void Write(TextWriter writer, IEnumerable<EvalQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(queries);
        foreach (var q in queries)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("id", q.Id);
                json.WriteString("query", q.Query);
                json.WriteStartArray("gold");
                foreach (var g in q.Gold)
                {
                    if (g.StartLine is null && g.EndLine is null && g.Grade is null)
                    {
                        json.WriteStringValue(g.Path);
                        continue;
                    }

                    json.WriteStartObject();
                    json.WriteString("path", g.Path);
                    WriteOptional(json, "start", g.StartLine);
                    WriteOptional(json, "end", g.EndLine);
                    if (g.Grade is double grade)
                    {
                        json.WriteNumber("grade", grade);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                WriteOptional(json, "repo", q.Repository);
                WriteOptional(json, "commit", q.BaseCommit);
                WriteOptional(json, "language", q.Language);
                json.WriteEndObject();
            }

            writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static EvalQuery ParseLine(string line, int lineNumber)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new EvalFormatException(lineNumber, $"not valid JSON ({ex.Message}).", ex);
        }

        if (JsonTextCheck.Problem(System.Text.Encoding.UTF8.GetBytes(line)) is { } problem)
        {
            doc.Dispose();
            throw new EvalFormatException(lineNumber, $"has {problem}.");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvalFormatException(lineNumber, "expected a JSON object {\"id\", \"query\", \"gold\"}.");
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            } : null;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new EvalFormatException(lineNumber, "missing \"id\" (a non-empty string or number).");
            }

            var text = OptionalString(root, "query", lineNumber);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new EvalFormatException(lineNumber, "missing \"query\" (a non-empty string).");
            }

            if (!root.TryGetProperty("gold", out var goldElement) || goldElement.ValueKind != JsonValueKind.Array)
            {
                throw new EvalFormatException(lineNumber, "missing \"gold\": an array of paths or {\"path\",\"start\",\"end\"} objects.");
            }

            var gold = new List<GoldItem>();
            var index = 0;
            foreach (var item in goldElement.EnumerateArray())
            {
                gold.Add(ParseGold(item, lineNumber, index++));
            }

            if (!gold.Exists(g => g.IsRelevant))
            {
                throw new EvalFormatException(lineNumber, "\"gold\" holds no relevant item; give at least one path.");
            }

            var repo = OptionalString(root, "repo", lineNumber);
            var commit = OptionalString(root, "commit", lineNumber);
            var language = OptionalString(root, "language", lineNumber);
            return new EvalQuery(id, text, gold, repo, commit, language, NamesGoldPath(text, gold));
        }
    }

    private static GoldItem ParseGold(JsonElement item, int lineNumber, int index)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            var path = item.GetString();
            return string.IsNullOrWhiteSpace(path)
                ? throw new EvalFormatException(lineNumber, $"gold item {index} is an empty path.")
                : new GoldItem(RetrievalMetrics.NormalizePath(path));
        }

        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new EvalFormatException(lineNumber, $"gold item {index} must be a path string or a {{\"path\",\"start\",\"end\"}} object.");
        }

        var p = item.TryGetProperty("path", out var pathElement) && pathElement.ValueKind == JsonValueKind.String ? pathElement.GetString() : null;
        if (string.IsNullOrWhiteSpace(p))
        {
            throw new EvalFormatException(lineNumber, $"gold item {index} has no \"path\" string.");
        }

        var start = OptionalInt(item, "start", lineNumber, index);
        var end = OptionalInt(item, "end", lineNumber, index);
        if ((start is null) != (end is null) || start > end || start < 1)
        {
            throw new EvalFormatException(lineNumber, $"gold item {index} needs both \"start\" and \"end\" (1 <= start <= end), or neither.");
        }

        double? grade = null;
        if (item.TryGetProperty("grade", out var gradeElement) && gradeElement.ValueKind != JsonValueKind.Null)
        {
            if (gradeElement.ValueKind != JsonValueKind.Number || !gradeElement.TryGetDouble(out var g) || g < 0)
            {
                throw new EvalFormatException(lineNumber, $"gold item {index} has a \"grade\" that is not a non-negative number.");
            }

            grade = g;
        }

        return new GoldItem(RetrievalMetrics.NormalizePath(p), start, end, grade);
    }

    /// <summary>Whether <paramref name="text"/> contains a relevant gold path verbatim.</summary>
    internal static bool NamesGoldPath(string text, IReadOnlyList<GoldItem> gold) =>
        gold.Any(g => g.IsRelevant && text.Contains(g.Path, StringComparison.Ordinal));

    private static string? OptionalString(JsonElement root, string name, int lineNumber)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new EvalFormatException(lineNumber, $"\"{name}\" must be a string.");
    }

    private static int? OptionalInt(JsonElement item, string name, int lineNumber, int index)
    {
        if (!item.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        if (element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        throw new EvalFormatException(lineNumber, $"gold item {index} has a \"{name}\" that is not a whole number.");
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int v)
        {
            json.WriteNumber(name, v);
        }
    }
}
