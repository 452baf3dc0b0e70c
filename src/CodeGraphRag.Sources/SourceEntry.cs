namespace CodeGraphRag.Sources;

/// <summary>One file (or one skipped folder) of a repository snapshot.</summary>
/// <param name="Path">Repository-relative path with '/' separators, no leading slash.</param>
/// <param name="Size">Size in bytes (0 for a skipped folder).</param>
/// <param name="ContentHash">
/// For a candidate: hex SHA-256 of the bytes (working tree, same value as <c>ChunkIds.Hash(bytes)</c>) or the git blob id
/// (git revision). Null for skipped entries.
/// </param>
/// <param name="SkipReason">Null for a candidate; otherwise one of <see cref="SkipReasons"/>.</param>
/// <param name="IsDirectory">True when a whole folder is skipped as one entry (vendored, ignored, submodule, symlinked folder).</param>
public sealed record SourceEntry(string Path, long Size, string? ContentHash, string? SkipReason, bool IsDirectory = false)
{
    /// <summary>True when the file should be read, parsed and indexed.</summary>
    public bool IsCandidate => SkipReason is null;

    /// <summary>A file to index.</summary>
    public static SourceEntry Candidate(string path, long size, string contentHash) => new(path, size, contentHash, null);

    /// <summary>A file or folder not indexed, with the reason (one of <see cref="SkipReasons"/>).</summary>
    public static SourceEntry Skipped(string path, long size, string reason, bool isDirectory = false) => new(path, size, null, reason, isDirectory);
}
