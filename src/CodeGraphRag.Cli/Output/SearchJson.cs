using System.Text.Encodings.Web;
using System.Text.Json;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.Commands;

namespace CodeGraphRag.Cli.Output;

/// <summary>Writes a search response as the one JSON document <c>cgr search --json</c> promises.</summary>
internal static class SearchJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, SearchResponse response, string? repository)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("query", response.Query);
            if (repository is null)
            {
                w.WriteNull("repo");
            }
            else
            {
                w.WriteString("repo", repository);
            }

            w.WriteString("mode", SearchArguments.Name(response.Mode));
            w.WriteNumber("elapsedMs", Math.Round(response.Elapsed.TotalMilliseconds, 1));
            w.WriteStartArray("hits");
            foreach (var hit in response.Hits)
            {
                WriteHit(w, hit);
            }

            w.WriteEndArray();
            if (response.Files is { } files)
            {
                w.WriteStartArray("files");
                foreach (var file in files)
                {
                    w.WriteStartObject();
                    w.WriteNumber("rank", file.Rank);
                    w.WriteString("repository", file.Repository);
                    w.WriteString("path", file.Path);
                    w.WriteString("language", file.Language);
                    w.WriteString("class", file.Class.Name());
                    w.WriteNumber("score", Math.Round(file.Score, 6));
                    WriteScores(w, file.Scores);
                    w.WriteStartArray("chunks");
                    foreach (var hit in file.Chunks)
                    {
                        WriteHit(w, hit);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteHit(Utf8JsonWriter w, SearchHit hit)
    {
        w.WriteStartObject();
        w.WriteNumber("rank", hit.Rank);
        w.WriteString("repository", hit.Repository);
        w.WriteString("path", hit.Path);
        w.WriteNumber("startLine", hit.StartLine);
        w.WriteNumber("endLine", hit.EndLine);
        w.WriteString("symbol", hit.Symbol);
        w.WriteString("kind", Camel(hit.Kind.ToString()));
        w.WriteString("language", hit.Language);
        w.WriteString("class", hit.Class.Name());
        w.WriteNumber("score", Math.Round(hit.Score, 6));
        WriteScores(w, hit.Scores);
        w.WriteString("snippet", hit.Text);
        w.WriteStartArray("related");
        foreach (var r in hit.Related)
        {
            w.WriteStartObject();
            w.WriteString("relation", RelationName(r.Relation));
            w.WriteString("repository", r.Repository);
            w.WriteString("path", r.Path);
            w.WriteString("symbol", r.Symbol);
            w.WriteNumber("startLine", r.StartLine);
            w.WriteNumber("endLine", r.EndLine);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteScores(Utf8JsonWriter w, IReadOnlyDictionary<string, double> scores)
    {
        w.WriteStartObject("scores");
        foreach (var (name, value) in scores.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(name, Math.Round(value, 6));
        }

        w.WriteEndObject();
    }

    /// <summary>The JSON name of a relation.</summary>
    public static string RelationName(GraphRelation relation) => relation switch
    {
        GraphRelation.Caller => "caller",
        GraphRelation.Callee => "callee",
        GraphRelation.Parent => "parent",
        GraphRelation.Imports => "imports",
        GraphRelation.BaseType => "base",
        GraphRelation.DerivedType => "derived",
        _ => relation.ToString().ToLowerInvariant(),
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
