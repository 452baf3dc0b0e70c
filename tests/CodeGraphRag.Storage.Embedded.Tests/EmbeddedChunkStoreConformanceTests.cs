using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The chunk store contract on the embedded backend with exact dense search.</summary>
public sealed class EmbeddedChunkStoreConformanceTests : ChunkStoreConformanceTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync() => Task.FromResult(EmbeddedStoreFactory.Create());

    protected override async Task AssertSameLogicalStateAsync(StoreUnderTest expected, StoreUnderTest actual)
    {
        var ct = TestContext.Current.CancellationToken;
        var expectedState = await expected.Store().ExportLogicalStateAsync(null, ct);
        var actualState = await actual.Store().ExportLogicalStateAsync(null, ct);
        Assert.True(expectedState.Chunks > 0 && expectedState.LexicalPostings > 0 && expectedState.Vectors == expectedState.Chunks);
        Assert.Equal(expectedState.Json, actualState.Json);
    }
}

/// <summary>The same contract with the ANN index forced on (threshold 0), so every dense path goes through USearch.</summary>
public sealed class EmbeddedAnnChunkStoreConformanceTests : ChunkStoreConformanceTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync() => Task.FromResult(EmbeddedStoreFactory.Create(exactThreshold: 0));
}

/// <summary>The code graph contract on the embedded backend.</summary>
public sealed class EmbeddedCodeGraphStoreConformanceTests : CodeGraphStoreConformanceTests
{
    protected override Task<StoreUnderTest> CreateStoreAsync() => Task.FromResult(EmbeddedStoreFactory.Create());
}
