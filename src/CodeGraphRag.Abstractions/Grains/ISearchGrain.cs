using CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Abstractions.Grains;

/// <summary>The query pipeline: embed, dense + lexical, fusion, graph expansion, ACL filter, context packing. A stateless worker.</summary>
[Alias("cgr.ISearchGrain")]
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>Runs a search.</summary>
    [Alias("Search")]
    Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs a search and packs its hits and their graph context into the request's token budget.</summary>
    [Alias("GetContext")]
    Task<ContextResponse> GetContextAsync(ContextRequest request, CancellationToken cancellationToken = default);
}
