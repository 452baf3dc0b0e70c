using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>The ports of one backend instance under test; disposing releases it.</summary>
/// <param name="Writer">The write side.</param>
/// <param name="Catalog">Repositories and manifests.</param>
/// <param name="Chunks">Dense and lexical search.</param>
/// <param name="Graph">Neighbour queries.</param>
/// <param name="Owner">Released when the test ends.</param>
public sealed record StoreUnderTest(IIndexWriter Writer, IRepositoryCatalog Catalog, IChunkStore Chunks, ICodeGraphStore Graph, IAsyncDisposable Owner)
    : IAsyncDisposable
{
    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}
