namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Restricts a chunk search.</summary>
/// <param name="Repositories">Repositories to search; null means every repository.</param>
/// <param name="Languages">Language ids; null means all.</param>
/// <param name="PathGlob">A glob over repository-relative paths (<c>*</c> any run of characters including <c>/</c>, <c>?</c> one character); null means all.</param>
/// <param name="Classes">File classes to admit; null means all.</param>
/// <param name="ExcludedClasses">File classes never admitted (even when <paramref name="Classes"/> names them); null means none.</param>
[GenerateSerializer, Immutable, Alias("cgr.ChunkFilter")]
public sealed record ChunkFilter(
    [property: Id(0)] IReadOnlyList<string>? Repositories,
    [property: Id(1)] IReadOnlyList<string>? Languages,
    [property: Id(2)] string? PathGlob,
    [property: Id(3)] IReadOnlyList<FileClass>? Classes = null,
    [property: Id(4)] IReadOnlyList<FileClass>? ExcludedClasses = null)
{
    /// <summary>No restriction.</summary>
    public static ChunkFilter None { get; } = new(null, null, null);

    /// <summary>Whether the class filters admit <paramref name="value"/>.</summary>
    public bool AdmitsClass(FileClass value) =>
        (Classes is null || Classes.Contains(value)) && (ExcludedClasses is null || !ExcludedClasses.Contains(value));

    /// <summary>
    /// The classes the filter admits, or null when it admits every class (both lists folded into one: stores push it
    /// down as one <c>IN</c> list). Empty when nothing can match.
    /// </summary>
    public IReadOnlyList<FileClass>? AdmittedClasses()
    {
        if (Classes is null && (ExcludedClasses is null || ExcludedClasses.Count == 0))
        {
            return null;
        }

        return FileClasses.All.Where(AdmitsClass).ToList();
    }
}
