using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Abstractions.Search;

/// <summary>A search as the search grain receives it.</summary>
/// <param name="Query">The user's text; inline filters (<c>repo:</c>, <c>lang:</c>, <c>path:</c>) are parsed out unless <paramref name="ParseInlineFilters"/> is false.</param>
/// <param name="Repositories">Repositories to search (null: every repository the caller may read).</param>
/// <param name="Languages">Language filter (null: all).</param>
/// <param name="PathGlob">Path glob filter (null: all).</param>
/// <param name="Mode">Retrieval mode.</param>
/// <param name="Top">Number of hits to return.</param>
/// <param name="ParseInlineFilters">Whether to parse inline filters out of the query text.</param>
/// <param name="AllowedRepositories">Repositories the caller may read (null: no restriction). Applied to hits and neighbours alike.</param>
/// <param name="ShowRawScores">Show raw backend scores although <paramref name="AllowedRepositories"/> is set (the caller's list covers every repository); otherwise only unrestricted searches show them.</param>
/// <param name="Classes">File classes to search (null: all); inline <c>kind:</c> filters add to it.</param>
/// <param name="ExcludedClasses">File classes never returned (null: none); inline <c>-kind:</c> filters add to it.</param>
[GenerateSerializer, Immutable, Alias("cgr.SearchRequest")]
public sealed record SearchRequest(
    [property: Id(0)] string Query,
    [property: Id(1)] IReadOnlyList<string>? Repositories = null,
    [property: Id(2)] IReadOnlyList<string>? Languages = null,
    [property: Id(3)] string? PathGlob = null,
    [property: Id(4)] SearchMode Mode = SearchMode.HybridGraph,
    [property: Id(5)] int Top = 10,
    [property: Id(6)] bool ParseInlineFilters = true,
    [property: Id(7)] IReadOnlyList<string>? AllowedRepositories = null,
    [property: Id(8)] bool ShowRawScores = false,
    [property: Id(9)] IReadOnlyList<FileClass>? Classes = null,
    [property: Id(10)] IReadOnlyList<FileClass>? ExcludedClasses = null);
