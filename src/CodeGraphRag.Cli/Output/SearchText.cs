using System.Globalization;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval;

namespace CodeGraphRag.Cli.Output;

/// <summary>Readable search results for people.</summary>
internal static class SearchText
{
    private const int SnippetLines = 12;

    public static void Write(TextWriter output, SearchResponse response)
    {
        if (response.Hits.Count == 0)
        {
            output.WriteLine($"no results for \"{response.Query}\"");
            return;
        }

        foreach (var hit in response.Hits)
        {
            var symbol = hit.Symbol.Length > 0 ? "  " + hit.Symbol : string.Empty;
            var named = hit.Scores.ContainsKey(ScoreKeys.Mention) ? ", file named in the query" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hit.Rank,2}. {hit.Repository}/{hit.Path}:{hit.StartLine}-{hit.EndLine}{symbol}  ({hit.Class.Name()}, score {hit.Score:F4}{named})"));
            var lines = hit.Text.Split('\n');
            foreach (var line in lines.Take(SnippetLines))
            {
                output.WriteLine("      " + line.TrimEnd('\r'));
            }

            if (lines.Length > SnippetLines)
            {
                output.WriteLine($"      ... ({lines.Length - SnippetLines} more lines)");
            }

            foreach (var r in hit.Related)
            {
                output.WriteLine($"      -> {SearchJson.RelationName(r.Relation)}: {r.Repository}/{r.Path}:{r.StartLine}-{r.EndLine} {r.Symbol}");
            }

            output.WriteLine();
        }
    }
}
