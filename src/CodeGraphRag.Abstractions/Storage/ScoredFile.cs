namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A file with a backend score (higher is better).</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path.</param>
/// <param name="Score">The score.</param>
/// <param name="Language">The file's language id.</param>
/// <param name="Class">The file's class.</param>
[GenerateSerializer, Immutable, Alias("cgr.ScoredFile")]
public sealed record ScoredFile(
    [property: Id(0)] string Repository,
    [property: Id(1)] string Path,
    [property: Id(2)] double Score,
    [property: Id(3)] string Language = "text",
    [property: Id(4)] FileClass Class = FileClass.Code);
