namespace CodeGraphRag.Sources;

/// <summary>A repository at one point in time (a working tree or a git commit): its files and their bytes.</summary>
/// <remarks>
/// Enumeration yields every candidate and every skipped entry, in ordinal order of <see cref="SourceEntry.Path"/>.
/// <see cref="ReadAsync"/> may be called concurrently with other reads. Dispose to release the git process, if any.
/// </remarks>
public interface ISourceSnapshot : IAsyncDisposable
{
    /// <summary>Lists the snapshot's files, classifying each as a candidate or skipped with a reason.</summary>
    IAsyncEnumerable<SourceEntry> EnumerateAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a candidate's bytes.</summary>
    /// <exception cref="SourceReadException">The file vanished, became unreadable or grew past the size limit; record it as failed and go on.</exception>
    /// <exception cref="ArgumentException"><paramref name="entry"/> is not a candidate.</exception>
    Task<byte[]> ReadAsync(SourceEntry entry, CancellationToken cancellationToken = default);
}
