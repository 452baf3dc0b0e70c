using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Abstractions.Grains;

/// <summary>What a <see cref="IFileGrain"/> did.</summary>
/// <param name="Status">Indexed, skipped or failed.</param>
/// <param name="Reason">Skip reason or error.</param>
/// <param name="Unchanged">True when the stored state already matched (no work done).</param>
/// <param name="ChunksTotal">Chunks the file has now.</param>
/// <param name="ChunksWritten">Chunks inserted or changed.</param>
/// <param name="ChunksEmbedded">Chunks sent to the embedder (cache misses).</param>
/// <param name="SecretsRedacted">Secret values replaced.</param>
[GenerateSerializer, Immutable, Alias("cgr.FileOutcome")]
public sealed record FileOutcome(
    [property: Id(0)] FileStatus Status,
    [property: Id(1)] string? Reason,
    [property: Id(2)] bool Unchanged,
    [property: Id(3)] int ChunksTotal,
    [property: Id(4)] int ChunksWritten,
    [property: Id(5)] int ChunksEmbedded,
    [property: Id(6)] int SecretsRedacted);
