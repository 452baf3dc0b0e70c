using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>The <c>cgr search --json</c> document; property order here is the order on the wire.</summary>
/// <param name="Query">The query as given.</param>
/// <param name="Repo">The <c>--repo</c> filter, written as <c>null</c> when none was given.</param>
/// <param name="Mode">The search mode's name (<c>lexical</c>, <c>dense</c>, <c>hybrid</c>, <c>hybrid+graph</c>).</param>
/// <param name="ElapsedMs">Milliseconds, rounded to one decimal.</param>
/// <param name="Hits">Ranked chunks, best first.</param>
/// <param name="Files">Ranked files with <c>--files</c>; the property is absent without it.</param>
internal sealed record SearchDocument(
    string Query,
    string? Repo,
    string Mode,
    double ElapsedMs,
    IReadOnlyList<SearchHitDocument> Hits,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SearchFileDocument>? Files);

/// <summary>One ranked chunk; scores are rounded to six decimals, component scores sorted by name.</summary>
internal sealed record SearchHitDocument(
    int Rank,
    string Repository,
    string Path,
    int StartLine,
    int EndLine,
    string Symbol,
    string Kind,
    string Language,
    string Class,
    double Score,
    IReadOnlyDictionary<string, double> Scores,
    string Snippet,
    IReadOnlyList<SearchRelatedDocument> Related);

/// <summary>Code related to a hit through the graph.</summary>
internal sealed record SearchRelatedDocument(string Relation, string Repository, string Path, string Symbol, int StartLine, int EndLine);

/// <summary>One ranked file (<c>--files</c>) with its best chunks.</summary>
internal sealed record SearchFileDocument(
    int Rank,
    string Repository,
    string Path,
    string Language,
    string Class,
    double Score,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<SearchHitDocument> Chunks);
