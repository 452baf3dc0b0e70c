using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Query;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>
/// The lists the files a query names by path (a pasted stack trace, test-runner output, a link) add to the fusion:
/// which paths are looked up, and how the named files' chunks rank. Thread-safe.
/// </summary>
public static class PathMentionLists
{
    /// <summary>
    /// The paths to look up, innermost stack frame first, at most <see cref="SearchOptions.MaxMentionedPaths"/>; none when
    /// the settings allow no file per path or no chunk per file.
    /// </summary>
    /// <param name="searched">The searched query text (<see cref="SearchPlan.Searched"/>).</param>
    /// <param name="isSourceFile">Whether a path names a file the index may hold (a known language).</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The named paths, possibly none.</returns>
    public static IReadOnlyList<PathMention> ToLookUp(string searched, Func<string, bool> isSourceFile, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mentions = QueryMentions.Extract(searched, isSourceFile, options.MaxMentionedPaths);
        return mentions.Count == 0 || options.MaxFilesPerMention == 0 || options.MaxChunksPerMentionedFile == 0 ? [] : mentions;
    }

    /// <summary>
    /// One list per named file (<see cref="MentionRanking.Rank"/>), from the chunks the store found for the paths. The
    /// query's language, path and class filters hold here too, so a named file outside them takes no place in the lists.
    /// </summary>
    /// <param name="mentions">The paths looked up (<see cref="ToLookUp"/>).</param>
    /// <param name="found">The named files' chunks, grouped by file.</param>
    /// <param name="searched">The searched query text.</param>
    /// <param name="scope">The query's scope.</param>
    /// <param name="options">The query pipeline settings.</param>
    /// <returns>The lists, first named file first.</returns>
    public static IReadOnlyList<IReadOnlyList<ScoredChunk>> Rank(
        IReadOnlyList<PathMention> mentions, IReadOnlyList<ChunkRecord> found, string searched, SearchScope scope, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        var allowed = found.Where(scope.Admits).ToList();
        return MentionRanking.Rank(mentions, allowed, LexicalAnalyzer.QueryTerms(searched), options.MaxChunksPerMentionedFile);
    }
}
