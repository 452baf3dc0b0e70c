using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The embedding cache contract on the embedded store's SQLite table.</summary>
public sealed class EmbeddedEmbeddingCacheConformanceTests : EmbeddingCacheConformanceTests
{
    protected override Task<EmbeddingCacheUnderTest> CreateCacheAsync()
    {
        var store = EmbeddedStoreFactory.Create();
        return Task.FromResult(new EmbeddingCacheUnderTest(store.Store(), store));
    }
}
