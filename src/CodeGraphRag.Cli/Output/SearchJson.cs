using System.Text.Encodings.Web;
using System.Text.Json;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.Commands;

namespace CodeGraphRag.Cli.Output;

/// <summary>Writes a search response as the one JSON document <c>cgr search --json</c> promises.</summary>
internal static class SearchJson
{
    // Search output carries code: relaxed escaping keeps <, &, +, quotes and non-ASCII readable and escapes only what
    // JSON itself requires.
    private static readonly SearchJsonContext Context = new(new JsonSerializerOptions(SearchJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write(TextWriter output, SearchResponse response, string? repository)
    {
        var document = new SearchDocument(
            response.Query,
            repository,
            SearchArguments.Name(response.Mode),
            Math.Round(response.Elapsed.TotalMilliseconds, 1),
            response.Hits.Select(Hit).ToList(),
            response.Files?.Select(f => new SearchFileDocument(
                f.Rank, f.Repository, f.Path, f.Language, f.Class.Name(), Score(f.Score), Scores(f.Scores), f.Chunks.Select(Hit).ToList())).ToList());
        output.WriteLine(JsonSerializer.Serialize(document, Context.SearchDocument));
    }

    private static SearchHitDocument Hit(SearchHit hit) => new(
        hit.Rank, hit.Repository, hit.Path, hit.StartLine, hit.EndLine, hit.Symbol, Camel(hit.Kind.ToString()), hit.Language, hit.Class.Name(),
        Score(hit.Score), Scores(hit.Scores), hit.Text,
        hit.Related.Select(r => new SearchRelatedDocument(RelationName(r.Relation), r.Repository, r.Path, r.Symbol, r.StartLine, r.EndLine)).ToList());

    private static double Score(double value) => Math.Round(value, 6);

    private static SortedDictionary<string, double> Scores(IReadOnlyDictionary<string, double> scores) =>
        new(scores.ToDictionary(kv => kv.Key, kv => Score(kv.Value), StringComparer.Ordinal), StringComparer.Ordinal);

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
