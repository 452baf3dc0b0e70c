using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Abstractions.Search;

/// <summary>One ranked file: its score from its chunks and its whole-file lexical document, with its best chunks.</summary>
/// <param name="Rank">1-based rank.</param>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path.</param>
/// <param name="Language">Language id.</param>
/// <param name="Class">The file's class.</param>
/// <param name="Score">The fused file score.</param>
/// <param name="Scores">Its parts: <c>chunks</c> (from the file's ranked chunks), <c>file_lexical</c> (its document's rank contribution), <c>class_prior</c>.</param>
/// <param name="Chunks">The file's best chunks in this search, best first (their ranks are chunk ranks).</param>
[GenerateSerializer, Immutable, Alias("cgr.FileHit")]
public sealed record FileHit(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Repository,
    [property: Id(2)] string Path,
    [property: Id(3)] string Language,
    [property: Id(4)] FileClass Class,
    [property: Id(5)] double Score,
    [property: Id(6)] IReadOnlyDictionary<string, double> Scores,
    [property: Id(7)] IReadOnlyList<SearchHit> Chunks);
