using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>The embedding cache contract on a real Redis, each test under its own key prefix.</summary>
public sealed class RedisEmbeddingCacheConformanceTests(RedisFixture fixture) : EmbeddingCacheConformanceTests, IClassFixture<RedisFixture>
{
    protected override Task<EmbeddingCacheUnderTest> CreateCacheAsync() =>
        Task.FromResult(new EmbeddingCacheUnderTest(fixture.NewCache(), NothingToRelease.Instance));

    private sealed class NothingToRelease : IAsyncDisposable
    {
        public static readonly NothingToRelease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
