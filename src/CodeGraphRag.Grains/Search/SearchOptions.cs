using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Grains.Search;

/// <summary>Query pipeline settings, section <c>CodeGraphRag:Search</c>.</summary>
public sealed class SearchOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Search";

    /// <summary>Candidates taken from each of dense and lexical search before fusion.</summary>
    public int CandidatePool { get; set; } = 60;

    /// <summary>The k of reciprocal rank fusion.</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>Graph stage settings (relation shares, hits expanded, related code per hit).</summary>
    public GraphStageOptions Graph { get; set; } = new();

    /// <summary>Related neighbours fetched per relation for each expanded hit.</summary>
    public int MaxNeighborsPerRelation { get; set; } = 4;
}
