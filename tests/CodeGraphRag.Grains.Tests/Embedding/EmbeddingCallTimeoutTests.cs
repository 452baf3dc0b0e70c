using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Embedding;

/// <summary>
/// A call to the embedding grain that never answers (a message lost while a silo restarts) is given up on after
/// <see cref="EmbeddingCallOptions"/>' timeout and sent again, instead of holding a search or a sync for Orleans'
/// 15 minute response timeout.
/// </summary>
[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class EmbeddingCallTimeoutTests : IDisposable
{
    private readonly TempDirectory _temp = new("cgr-embed-timeout");

    [Fact]
    public async Task Search_QueryEmbeddingUnanswered_IsSentAgainAndAnswers()
    {
        var embedder = new StallingEmbedder { StallQueries = 1 };
        await using var harness = await StartIndexedAsync(embedder);
        try
        {
            var response = await harness.SearchAsync("reject a signed login credential whose lifetime has passed", SearchMode.Dense);

            Assert.Equal("auth/jwt_validator.py", response.Hits[0].Path);
            Assert.Equal(1, embedder.Stalled);
            Assert.Equal(2, embedder.QueryCalls);
        }
        finally
        {
            embedder.Release();
        }
    }

    [Fact]
    public async Task Search_QueryEmbeddingNeverAnswered_FailsAsUnavailableNamingTheSetting()
    {
        var embedder = new StallingEmbedder { StallQueries = int.MaxValue };
        await using var harness = await StartIndexedAsync(embedder);
        try
        {
            var lexical = await harness.SearchAsync("VatRule", SearchMode.Lexical);
            var failure = await Assert.ThrowsAsync<EmbedderTimeoutException>(() => harness.SearchAsync("VatRule", SearchMode.Hybrid));

            Assert.NotEmpty(lexical.Hits);
            Assert.Equal(3, embedder.QueryCalls);
            Assert.Contains(EmbeddingCallOptions.SectionName, failure.Message, StringComparison.Ordinal);
            Assert.Contains("3 attempt(s)", failure.Message, StringComparison.Ordinal);
            Assert.True(ClusterFaults.IsUnavailable(failure));
        }
        finally
        {
            embedder.Release();
        }
    }

    [Fact]
    public async Task Sync_DocumentEmbeddingUnanswered_IsSentAgainAndEveryFileIsIndexed()
    {
        var embedder = new StallingEmbedder { StallDocuments = 1 };
        await using var harness = await IndexHarness.StartAsync(
            Path.Combine(_temp.Path, "data"), embedder: embedder, embeddingCalls: o => o.DocumentTimeout = TimeSpan.FromSeconds(5));
        try
        {
            var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
            var progress = await harness.SyncAsync("acme", tree);

            Assert.Equal(SyncPhase.Completed, progress.Phase);
            Assert.Equal(0, progress.FilesFailed);
            Assert.Equal(progress.FilesToProcess, progress.FilesIndexed);
            Assert.Equal(1, embedder.Stalled);
            Assert.Equal(await CleanIndexAsync(tree), await harness.ExportAsync());
        }
        finally
        {
            embedder.Release();
        }
    }

    public void Dispose() => _temp.Dispose();

    private async Task<IndexHarness> StartIndexedAsync(StallingEmbedder embedder)
    {
        var harness = await IndexHarness.StartAsync(
            Path.Combine(_temp.Path, "data"), embedder: embedder,
            embeddingCalls: o =>
            {
                o.QueryTimeout = TimeSpan.FromSeconds(3);
                o.Attempts = 3;
            });
        var progress = await harness.SyncAsync("acme", Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree")));
        Assert.Equal(SyncPhase.Completed, progress.Phase);
        return harness;
    }

    private async Task<string> CleanIndexAsync(string tree)
    {
        await using var clean = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data-clean"));
        await clean.SyncAsync("acme", tree);
        return await clean.ExportAsync();
    }
}
