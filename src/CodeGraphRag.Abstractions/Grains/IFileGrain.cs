namespace CodeGraphRag.Abstractions.Grains;

/// <summary>One file of one repository (key: <see cref="GrainKeys.File"/>). Idempotent on content hash and pipeline version.</summary>
[Alias("cgr.IFileGrain")]
public interface IFileGrain : IGrainWithStringKey
{
    /// <summary>Parses, chunks, redacts, embeds and writes the file unless the stored state already matches.</summary>
    [Alias("Process")]
    Task<FileOutcome> ProcessAsync(FileWorkItem item, CancellationToken cancellationToken = default);
}
