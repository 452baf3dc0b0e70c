namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Restricts a chunk search.</summary>
/// <param name="Repositories">Repositories to search; null means every repository.</param>
/// <param name="Languages">Language ids; null means all.</param>
/// <param name="PathGlob">A glob over repository-relative paths (<c>*</c> any run of characters including <c>/</c>, <c>?</c> one character); null means all.</param>
[GenerateSerializer, Immutable, Alias("cgr.ChunkFilter")]
public sealed record ChunkFilter(
    [property: Id(0)] IReadOnlyList<string>? Repositories,
    [property: Id(1)] IReadOnlyList<string>? Languages,
    [property: Id(2)] string? PathGlob)
{
    /// <summary>No restriction.</summary>
    public static ChunkFilter None { get; } = new(null, null, null);
}
