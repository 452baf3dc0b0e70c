namespace CodeGraphRag.Abstractions.Storage;

/// <summary>A chunk id with a backend score (higher is better), in rank order.</summary>
[GenerateSerializer, Immutable, Alias("cgr.ScoredChunk")]
public sealed record ScoredChunk([property: Id(0)] string ChunkId, [property: Id(1)] double Score);
