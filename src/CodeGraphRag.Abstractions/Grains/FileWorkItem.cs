namespace CodeGraphRag.Abstractions.Grains;

/// <summary>One file for a <see cref="IFileGrain"/> to bring up to date.</summary>
/// <param name="ContentHash">Hash of <paramref name="Content"/> as the manifest records it.</param>
/// <param name="Content">The raw bytes (decoded by the file grain).</param>
/// <param name="PipelineVersion">The pipeline version the result must carry.</param>
[GenerateSerializer, Immutable, Alias("cgr.FileWorkItem")]
public sealed record FileWorkItem(
    [property: Id(0)] string ContentHash,
    [property: Id(1)] byte[] Content,
    [property: Id(2)] string PipelineVersion);
