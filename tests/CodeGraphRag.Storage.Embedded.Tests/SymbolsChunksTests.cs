using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The set-based <see cref="EmbeddedStore.GetSymbolsChunksAsync"/> against the port's one-call-per-symbol default.</summary>
public sealed class SymbolsChunksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetSymbolsChunks_SetBasedQuery_EqualsDefaultImplementation()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var keys = new List<SymbolKey>();
        for (var file = 0; file < 12; file++)
        {
            var path = $"pkg/module_{file}.py";
            var chunks = new List<ChunkRecord> { Chunk("r", path, $"import os_{file}", startLine: 1) };
            for (var symbol = 0; symbol < 5; symbol++)
            {
                // Symbols split in two parts, stored in reverse line order.
                chunks.Add(Chunk("r", path, $"    return part_two_{file}_{symbol}", symbolPath: $"Type.method_{symbol}", startLine: 100 + (symbol * 10)));
                chunks.Add(Chunk("r", path, $"def method_{symbol}(self):\n    part_one_{file}_{symbol}()", symbolPath: $"Type.method_{symbol}", startLine: 98 + (symbol * 10)));
                keys.Add(new SymbolKey("r", path, $"Type.method_{symbol}"));
            }

            await store.ApplyFileAsync(Update("r", path, chunks), Ct);
            keys.Add(new SymbolKey("r", path, string.Empty));
            keys.Add(new SymbolKey("other", path, "Type.method_0"));
        }

        keys.AddRange(keys.Take(7));
        IChunkStore oneByOne = new OneByOneChunkStore(store);

        var expected = await oneByOne.GetSymbolsChunksAsync(keys, Ct);
        var actual = await store.GetSymbolsChunksAsync(keys, Ct);

        Assert.Equal(keys.Distinct().Count(), expected.Count);
        Assert.Equal(expected.Keys.ToHashSet(), actual.Keys.ToHashSet());
        foreach (var (key, chunks) in expected)
        {
            Assert.Equal(chunks, actual[key]);
            Assert.Equal(key.Repository == "other" ? 0 : key.QualifiedName.Length == 0 ? 1 : 2, chunks.Count);
        }
    }

    /// <summary>A chunk store that keeps the port's default <see cref="IChunkStore.GetSymbolsChunksAsync"/>.</summary>
    private sealed class OneByOneChunkStore(EmbeddedStore inner) : IChunkStore
    {
        public Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
            inner.SearchDenseAsync(query, k, filter, cancellationToken);

        public Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
            inner.SearchLexicalAsync(terms, k, filter, cancellationToken);

        public Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
            inner.GetChunksAsync(ids, cancellationToken);

        public Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default) =>
            inner.GetSymbolChunksAsync(repository, path, symbolPath, cancellationToken);

        public Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
            IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default) =>
            inner.GetMentionedFilesChunksAsync(paths, repositories, maxFilesPerPath, cancellationToken);
    }
}
