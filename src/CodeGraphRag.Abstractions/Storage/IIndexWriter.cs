namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The write side of the index: per-file atomic updates and removals across every store.</summary>
/// <remarks>All methods are idempotent: retrying any of them after a failure or crash converges to the same state.</remarks>
public interface IIndexWriter
{
    /// <summary>Chunk id to embedding key for the file's stored chunks that have a vector of the current model.</summary>
    Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default);

    /// <summary>Replaces the file's chunks, vectors, lexical docs, symbols, references and manifest entry, atomically where the backend allows (the manifest entry last otherwise).</summary>
    Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes the files from every store, manifest entries last.</summary>
    Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default);

    /// <summary>Deletes the repository and everything stored for it.</summary>
    Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default);
}
