namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Everything that changes when one file is (re)indexed; applied atomically per file.</summary>
/// <param name="File">The new manifest entry.</param>
/// <param name="Chunks">All chunks of the file after the change. Stored chunks of the file not listed here are deleted.</param>
/// <param name="Vectors">Vectors for chunks whose id is new or whose embedding key changed, keyed by chunk id. Chunks absent here keep their stored vector.</param>
/// <param name="Graph">The file's symbols and references, replacing the stored ones.</param>
/// <param name="VectorsFollow">
/// When true, a chunk with neither a vector here nor a stored vector of its embedding key is written without one: searchable
/// lexically and through the graph, and listed by <see cref="IIndexWriter.GetChunksAwaitingVectorsAsync"/> until
/// <see cref="IIndexWriter.SetVectorsAsync"/> stores it. When false, such a chunk is a caller bug.
/// </param>
[GenerateSerializer, Immutable, Alias("cgr.FileUpdate")]
public sealed record FileUpdate(
    [property: Id(0)] FileRecord File,
    [property: Id(1)] IReadOnlyList<ChunkRecord> Chunks,
    [property: Id(2)] IReadOnlyDictionary<string, float[]> Vectors,
    [property: Id(3)] FileGraph Graph,
    [property: Id(4)] bool VectorsFollow = false)
{
    /// <summary>An update that records the file (skipped or failed) with no chunks, vectors or graph facts; stored ones are removed.</summary>
    public static FileUpdate RecordOnly(FileRecord file) => new(file, [], new Dictionary<string, float[]>(), FileGraph.Empty);
}
