using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Query;

/// <summary>A query string with its inline filters taken out.</summary>
/// <param name="Text">The remaining free text, words separated by single spaces.</param>
/// <param name="Repositories">Repositories named by <c>repo:</c>, de-duplicated in order (empty: no restriction).</param>
/// <param name="Languages">Canonical language ids named by <c>lang:</c>, de-duplicated in order (empty: no restriction).</param>
/// <param name="PathGlob">The glob given by <c>path:</c>, or null.</param>
/// <param name="Classes">File classes named by <c>kind:</c>, de-duplicated in order (empty: no restriction).</param>
/// <param name="ExcludedClasses">File classes named by <c>-kind:</c>, de-duplicated in order.</param>
public sealed record ParsedQuery(
    string Text,
    IReadOnlyList<string> Repositories,
    IReadOnlyList<string> Languages,
    string? PathGlob,
    IReadOnlyList<FileClass>? Classes = null,
    IReadOnlyList<FileClass>? ExcludedClasses = null)
{
    /// <summary>Whether any inline filter was given.</summary>
    public bool HasFilters => Repositories.Count > 0 || Languages.Count > 0 || PathGlob is not null || Classes is { Count: > 0 } || ExcludedClasses is { Count: > 0 };

    /// <summary>The filters as a store filter (empty lists become null, meaning no restriction).</summary>
    public ChunkFilter ToChunkFilter() => new(
        Repositories.Count > 0 ? Repositories : null,
        Languages.Count > 0 ? Languages : null,
        PathGlob,
        Classes is { Count: > 0 } ? Classes : null,
        ExcludedClasses is { Count: > 0 } ? ExcludedClasses : null);
}
