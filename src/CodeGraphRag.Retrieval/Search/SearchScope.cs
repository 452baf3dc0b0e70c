using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Query;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// What one query may read: its text without inline filters, and the filter every store call and every hit must
/// satisfy (repositories, languages, path glob, file classes).
/// </summary>
/// <param name="Text">The query text, trimmed, inline filters removed when the request parses them.</param>
/// <param name="Filter">The narrowed filter: the request's filters and its inline ones, within the readable repositories.</param>
public sealed record SearchScope(string Text, ChunkFilter Filter)
{
    /// <summary>
    /// Whether nothing can match: the filter leaves no repository (an inline <c>repo:</c> outside the readable ones, or
    /// none readable at all) or the query has no text left.
    /// </summary>
    public bool IsEmpty => Filter.Repositories is { Count: 0 } || string.IsNullOrWhiteSpace(Text);

    /// <summary>
    /// The scope of <paramref name="request"/>. Inline filters (<see cref="QueryParser"/>) add languages and classes,
    /// replace the path glob and narrow the repositories to those named both ways; the caller's
    /// <see cref="SearchRequest.AllowedRepositories"/> (access control) then narrows the repositories again, so a query
    /// never widens what its caller may read. Languages are normalised and classes deduplicated; empty lists mean no filter.
    /// </summary>
    /// <param name="request">The search request.</param>
    /// <returns>The query text and filter.</returns>
    /// <exception cref="ArgumentException">An inline filter is malformed.</exception>
    public static SearchScope Resolve(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query.Trim();
        var repositories = request.Repositories?.ToList();
        var languages = request.Languages?.Select(QueryParser.NormalizeLanguage).ToList();
        var path = request.PathGlob;
        var classes = request.Classes?.ToList();
        var excluded = request.ExcludedClasses?.ToList();
        if (request.ParseInlineFilters)
        {
            ParsedQuery parsed;
            try
            {
                parsed = QueryParser.Parse(request.Query);
            }
            catch (QueryParseException ex)
            {
                throw new ArgumentException(ex.Message, nameof(request), ex);
            }

            text = parsed.Text;
            if (parsed.Repositories.Count > 0)
            {
                repositories = repositories is null ? [.. parsed.Repositories] : repositories.Intersect(parsed.Repositories, StringComparer.Ordinal).ToList();
            }

            if (parsed.Languages.Count > 0)
            {
                languages = [.. (languages ?? []), .. parsed.Languages];
            }

            path = parsed.PathGlob ?? path;
            if (parsed.Classes is { Count: > 0 })
            {
                classes = [.. (classes ?? []), .. parsed.Classes];
            }

            if (parsed.ExcludedClasses is { Count: > 0 })
            {
                excluded = [.. (excluded ?? []), .. parsed.ExcludedClasses];
            }
        }

        if (request.AllowedRepositories is { } allowed)
        {
            repositories = repositories is null ? [.. allowed] : repositories.Intersect(allowed, StringComparer.Ordinal).ToList();
        }

        return new SearchScope(text, new ChunkFilter(repositories, languages is { Count: > 0 } ? languages : null, path,
            classes is { Count: > 0 } ? classes.Distinct().ToList() : null, excluded is { Count: > 0 } ? excluded.Distinct().ToList() : null));
    }

    /// <summary>
    /// Whether <paramref name="chunk"/> satisfies the filter. Stores apply the filter to what they search; chunks reached
    /// another way (graph neighbours, named files, named symbols) are checked here before they may rank.
    /// </summary>
    /// <param name="chunk">The chunk.</param>
    /// <returns>True when the chunk's repository, language, path and class are all admitted.</returns>
    public bool Admits(ChunkRecord chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return (Filter.Repositories is null || Filter.Repositories.Contains(chunk.Repository, StringComparer.Ordinal))
            && (Filter.Languages is null || Filter.Languages.Contains(chunk.Language, StringComparer.Ordinal))
            && (Filter.PathGlob is null || PathGlob.IsMatch(Filter.PathGlob, chunk.Path))
            && Filter.AdmitsClass(chunk.Class);
    }
}
