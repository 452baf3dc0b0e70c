namespace CodeGraphRag.Abstractions.Storage;

/// <summary>
/// The graph and catalog half of a split backend (Neo4j): repositories, file manifest entries, symbols and late-bound
/// references, with <see cref="ICodeGraphStore"/> and <see cref="IRepositoryCatalog"/> as its read side.
/// </summary>
/// <remarks>Every method is idempotent; retrying after a failure converges to the same state.</remarks>
public interface IGraphIndex : ICodeGraphStore, IRepositoryCatalog
{
    /// <summary>Replaces the file's symbols and references and writes its manifest entry, in one transaction.</summary>
    Task ApplyFileAsync(FileRecord file, FileGraph graph, CancellationToken cancellationToken = default);

    /// <summary>Deletes the files' symbols, references and manifest entries.</summary>
    Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default);

    /// <summary>Deletes the repository, its files, symbols and references.</summary>
    Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default);
}
