using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.Retrieval.Query;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// The decisions taken for one query before any store is called: which ranked lists are built, how many candidates
/// each takes, the text they search, whether the graph stage runs, the class priors and whether raw scores are shown.
/// </summary>
/// <param name="Searched">The text the lists search: long queries lose their version listings when
/// <see cref="SearchOptions.DropVersionListings"/> is set.</param>
/// <param name="Pool">Candidates taken from each list: <see cref="SearchOptions.CandidatePool"/>, at least three times the hits asked for.</param>
/// <param name="LongQuery">Whether the query is long (<see cref="Graph.GraphStageOptions.IsLongQuery"/>).</param>
/// <param name="Dense">Whether the dense list is built (every mode but lexical).</param>
/// <param name="Lexical">Whether the lexical list is built (every mode but dense).</param>
/// <param name="PathMentions">Whether the files the query names by path add lists (hybrid modes, mention weight above 0).</param>
/// <param name="SymbolMentions">Whether the identifiers the query names add lists (hybrid modes, symbol weight above 0).</param>
/// <param name="FileLexical">Whether the files' whole-file lexical documents are searched (file results, not dense, weight above 0).</param>
/// <param name="Graph">Whether the graph stage expands the fused candidates (hybrid+graph mode).</param>
/// <param name="ShowRawScores">Whether hits carry the per-list raw scores: always without access control, else when asked.</param>
/// <param name="ClassFactors">The file-class prior factors (<see cref="ClassPriors.For"/>), or null to leave scores alone.</param>
public sealed record SearchPlan(
    string Searched,
    int Pool,
    bool LongQuery,
    bool Dense,
    bool Lexical,
    bool PathMentions,
    bool SymbolMentions,
    bool FileLexical,
    bool Graph,
    bool ShowRawScores,
    double[]? ClassFactors)
{
    /// <summary>The plan for <paramref name="request"/> in <paramref name="scope"/> under <paramref name="options"/>.</summary>
    /// <param name="request">The search request (mode, hits asked for, file results, access control).</param>
    /// <param name="scope">The query's resolved text and filter.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The plan.</returns>
    public static SearchPlan For(SearchRequest request, SearchScope scope, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        var longQuery = options.Graph.IsLongQuery(scope.Text);
        var hybrid = request.Mode is SearchMode.Hybrid or SearchMode.HybridGraph;
        return new SearchPlan(
            Searched: longQuery && options.DropVersionListings ? QueryText.WithoutVersionListings(scope.Text) : scope.Text,
            Pool: Math.Max(options.CandidatePool, request.Top * 3),
            LongQuery: longQuery,
            Dense: request.Mode != SearchMode.Lexical,
            Lexical: request.Mode != SearchMode.Dense,
            PathMentions: hybrid && options.MentionWeight > 0,
            SymbolMentions: hybrid && options.SymbolMentionWeight > 0,
            FileLexical: request.Files && request.Mode != SearchMode.Dense && options.FileLexicalWeight > 0,
            Graph: request.Mode == SearchMode.HybridGraph,
            ShowRawScores: request.AllowedRepositories is null || request.ShowRawScores,
            ClassFactors: ClassPriors.For(scope.Text, longQuery, scope.Filter, options.ClassPriors));
    }
}
