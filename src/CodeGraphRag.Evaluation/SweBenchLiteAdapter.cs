using System.Text.Json;

namespace CodeGraphRag.Evaluation;

/// <summary>Turns SWE-bench Lite (<c>gold_files_lite.jsonl</c> + <c>swebench_lite.jsonl</c>) into evaluation queries.</summary>
/// <remarks>
/// One query per instance of the gold file, in its order: id = <c>instance_id</c>, query = the issue's
/// <c>problem_statement</c>, gold = <c>gold_files</c> (the files the fix changed), with <c>repo</c>
/// (<c>owner/name</c>) and <c>base_commit</c> carried along, since each issue must be searched at its own
/// commit. <see cref="EvalQuery.NamesGoldPath"/> marks issues whose text contains a gold path verbatim (about
/// 16 % of the set), to be reported separately. Pure parsing: the caller opens the files and filters by repository.
/// </remarks>
public static class SweBenchLiteAdapter
{
    private const string GoldFiles = "gold_files_lite.jsonl";
    private const string Instances = "swebench_lite.jsonl";

    /// <summary>Reads and joins both files.</summary>
    /// <param name="goldFiles">Text of <c>gold_files_lite.jsonl</c>.</param>
    /// <param name="instances">Text of <c>swebench_lite.jsonl</c>.</param>
    /// <returns>One query per gold entry.</returns>
    /// <exception cref="EvalFormatException">A line is malformed, or a gold entry has no instance; the message names the line or id.</exception>
    public static IReadOnlyList<EvalQuery> Read(TextReader goldFiles, TextReader instances)
    {
        ArgumentNullException.ThrowIfNull(goldFiles);
        ArgumentNullException.ThrowIfNull(instances);
        var statements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, root) in ReadObjects(instances, Instances))
        {
            statements[RequiredString(root, "instance_id", line, Instances)] = RequiredString(root, "problem_statement", line, Instances);
        }

        var result = new List<EvalQuery>();
        foreach (var (line, root) in ReadObjects(goldFiles, GoldFiles))
        {
            var id = RequiredString(root, "instance_id", line, GoldFiles);
            var repo = RequiredString(root, "repo", line, GoldFiles);
            var commit = RequiredString(root, "base_commit", line, GoldFiles);
            if (!root.TryGetProperty("gold_files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new EvalFormatException(line, $"{GoldFiles}: missing \"gold_files\" array.");
            }

            var gold = new List<GoldItem>();
            foreach (var f in files.EnumerateArray())
            {
                var path = f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                if (string.IsNullOrWhiteSpace(path))
                {
                    throw new EvalFormatException(line, "\"gold_files\" must hold non-empty path strings.");
                }

                gold.Add(new GoldItem(RetrievalMetrics.NormalizePath(path)));
            }

            if (gold.Count == 0)
            {
                throw new EvalFormatException(line, $"instance '{id}' has no gold files.");
            }

            if (!statements.TryGetValue(id, out var statement))
            {
                throw new EvalFormatException(line, $"instance '{id}' is not in swebench_lite.jsonl; give the matching instances file.");
            }

            result.Add(new EvalQuery(id, statement, gold, repo, commit, NamesGoldPath: EvalQueryJsonl.NamesGoldPath(statement, gold)));
        }

        return result;
    }

    private static IEnumerable<(int Line, JsonElement Root)> ReadObjects(TextReader reader, string file)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(text);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new EvalFormatException(lineNumber, $"{file}: not valid JSON ({ex.Message}).", ex);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvalFormatException(lineNumber, $"{file}: expected a JSON object.");
            }

            yield return (lineNumber, root);
        }
    }

    private static string RequiredString(JsonElement root, string name, int line, string file) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s
            ? s
            : throw new EvalFormatException(line, $"{file}: missing \"{name}\" string.");
}
