using System.Globalization;
using System.Text;
using CodeGraphRag.Retrieval.Query;

namespace CodeGraphRag.Evaluation;

/// <summary>Turns CodeSearchNet's human relevance judgements (<c>qrels_mapped.csv</c>) into evaluation queries.</summary>
/// <remarks>
/// <para>
/// One query per (language, query text), in order of first appearance, with id
/// <c>csn/&lt;language&gt;/&lt;query words joined by -&gt;</c> and <see cref="EvalQuery.Language"/> set to the
/// canonical language id. Each judged row becomes a gold span on <c>corpus_path</c> (the file inside the
/// corpus repository, <c>files/&lt;sha&gt;_&lt;path with / as _&gt;</c>) with lines <c>start_line</c>-<c>end_line</c>.
/// </para>
/// <para>
/// Relevance is <c>relevance_mean</c> by default (most snippets have one judgement, where mean and max agree;
/// with several, the mean is the annotators' consensus rather than the most generous one). A row at or above
/// <see cref="CodeSearchNetOptions.RelevanceThreshold"/> (2) is relevant with its relevance as the graded gain;
/// a row below it is kept with grade 0, as judged-not-relevant, for judged-only metrics. Rows with
/// <c>in_corpus = 0</c> are dropped unless asked for, and queries left with no relevant row are dropped.
/// Pure parsing: the caller opens the file.
/// </para>
/// </remarks>
public static class CodeSearchNetAdapter
{
    private static readonly string[] s_required =
        ["language", "query", "corpus_path", "start_line", "end_line", "in_corpus", "relevance_mean", "relevance_max"];

    /// <summary>Reads <c>qrels_mapped.csv</c>.</summary>
    /// <param name="reader">The CSV text, header first.</param>
    /// <param name="options">Relevance settings (null: defaults).</param>
    /// <returns>The queries that have at least one relevant judgement.</returns>
    /// <exception cref="EvalFormatException">A column is missing or a value is malformed; the message names the line.</exception>
    public static IReadOnlyList<EvalQuery> Read(TextReader reader, CodeSearchNetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CodeSearchNetOptions();
        var csv = new CsvReader(reader);
        var header = csv.ReadRecord() ?? throw new EvalFormatException(null, "the CodeSearchNet qrels file is empty; expected a header line.");
        var column = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            column.TryAdd(header[i].Trim(), i);
        }

        foreach (var name in s_required)
        {
            if (!column.ContainsKey(name))
            {
                throw new EvalFormatException(1, $"missing column '{name}'; expected the header of qrels_mapped.csv ({string.Join(",", s_required)}, ...).");
            }
        }

        var queries = new Dictionary<(string Language, string Query), (string Language, List<GoldItem> Gold)>();
        var order = new List<(string, string)>();
        while (csv.ReadRecord() is { } row)
        {
            if (row.Count == 1 && row[0].Length == 0)
            {
                continue;
            }

            if (row.Count < header.Count)
            {
                throw new EvalFormatException(csv.Line, $"expected {header.Count} fields, found {row.Count}.");
            }

            string Field(string name) => row[column[name]].Trim();
            if (!options.IncludeNotInCorpus && Field("in_corpus") == "0")
            {
                continue;
            }

            var language = Field("language");
            var text = Field("query");
            var path = Field("corpus_path");
            if (language.Length == 0 || text.Length == 0 || path.Length == 0)
            {
                throw new EvalFormatException(csv.Line, "empty language, query or corpus_path.");
            }

            var start = ParseInt(Field("start_line"), "start_line", csv.Line);
            var end = ParseInt(Field("end_line"), "end_line", csv.Line);
            var relevance = ParseDouble(Field(options.UseMaxRelevance ? "relevance_max" : "relevance_mean"), csv.Line);
            var grade = relevance >= options.RelevanceThreshold ? relevance : 0.0;

            var key = (language, text);
            if (!queries.TryGetValue(key, out var entry))
            {
                entry = (QueryParser.NormalizeLanguage(language), []);
                queries.Add(key, entry);
                order.Add(key);
            }

            entry.Gold.Add(new GoldItem(RetrievalMetrics.NormalizePath(path), Math.Min(start, end), Math.Max(start, end), grade));
        }

        var result = new List<EvalQuery>();
        foreach (var key in order)
        {
            var (language, gold) = queries[key];
            if (gold.Exists(g => g.IsRelevant))
            {
                result.Add(new EvalQuery($"csn/{language}/{Slug(key.Item2)}", key.Item2, gold, Language: language));
            }
        }

        return result;
    }

    private static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }

    private static int ParseInt(string value, string name, int line) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? v
            : throw new EvalFormatException(line, $"'{name}' is '{value}', not a line number.");

    private static double ParseDouble(string value, int line) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new EvalFormatException(line, $"relevance '{value}' is not a number.");
}
