using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Context;

/// <summary>Turns search hits into <see cref="ContextItem"/>s for <see cref="ContextPacker"/> (shared by the CLI and the server).</summary>
public static class ContextItems
{
    /// <summary>
    /// One item per hit, in rank order, with the text of each related symbol's first chunk looked up in
    /// <paramref name="store"/>. Related code comes from the search response, which the search grain already limited to
    /// repositories the caller may read.
    /// </summary>
    public static async Task<IReadOnlyList<ContextItem>> FromSearchAsync(SearchResponse response, IChunkStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(store);
        var items = new List<ContextItem>(response.Hits.Count);
        foreach (var hit in response.Hits)
        {
            var related = new List<ContextRelatedItem>(hit.Related.Count);
            foreach (var r in hit.Related)
            {
                var chunks = await store.GetSymbolChunksAsync(r.Repository, r.Path, r.Symbol, cancellationToken);
                if (chunks.Count > 0)
                {
                    related.Add(new ContextRelatedItem(r.Relation, r.Repository, r.Path, r.StartLine, r.EndLine, r.Symbol, chunks[0].Language, chunks[0].Text));
                }
            }

            items.Add(new ContextItem(hit.Repository, hit.Path, hit.StartLine, hit.EndLine, hit.Symbol, hit.Language, hit.Text, related));
        }

        return items;
    }
}
