using CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Abstractions.Grains;

/// <summary>The query pipeline: embed, dense + lexical, fusion, graph expansion, ACL filter. A stateless worker.</summary>
[Alias("cgr.ISearchGrain")]
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>Runs a search.</summary>
    [Alias("Search")]
    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);
}
