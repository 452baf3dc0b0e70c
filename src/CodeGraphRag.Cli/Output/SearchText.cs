using System.Globalization;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval;

namespace CodeGraphRag.Cli.Output;

/// <summary>Readable search results for people.</summary>
internal static class SearchText
{
    private const int SnippetLines = 12;

    /// <summary>Writes the results; every piece of indexed text goes through <see cref="TerminalText.Neutralize"/>.</summary>
    public static void Write(TextWriter output, SearchResponse response)
    {
        var safe = new NeutralizingWriter(output);
        WriteRaw(safe, response);
        safe.Flush();
    }

    private static void WriteRaw(TextWriter output, SearchResponse response)
    {
        if (response.Hits.Count == 0 && response.Files is not { Count: > 0 })
        {
            output.WriteLine($"no results for \"{response.Query}\"");
            return;
        }

        if (response.Files is { } files)
        {
            WriteFiles(output, files);
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

    /// <summary>One line per file, then its best chunks' first lines.</summary>
    private static void WriteFiles(TextWriter output, IReadOnlyList<FileHit> files)
    {
        foreach (var file in files)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Rank,2}. {file.Repository}/{file.Path}  ({file.Class.Name()}, score {file.Score:F4})"));
            foreach (var hit in file.Chunks)
            {
                var symbol = hit.Symbol.Length > 0 ? hit.Symbol : hit.Text.Split('\n')[0].Trim();
                output.WriteLine($"      {hit.StartLine}-{hit.EndLine}  {symbol}");
            }
        }
    }

    /// <summary>Neutralizes each line written (the whole line: paths and symbols come from indexed repositories too).</summary>
    private sealed class NeutralizingWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(TerminalText.Neutralize(value.ToString()));

        public override void Write(string? value) => inner.Write(TerminalText.Neutralize(value ?? string.Empty));

        public override void WriteLine(string? value) => inner.WriteLine(TerminalText.Neutralize(value ?? string.Empty));

        public override void WriteLine() => inner.WriteLine();

        public override void Flush() => inner.Flush();
    }
}
