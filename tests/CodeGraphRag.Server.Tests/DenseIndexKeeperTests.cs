using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Hosting;
using CodeGraphRag.Storage.Embedded;
using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class DenseIndexKeeperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tick_AfterABulkWriteWithNoSearch_AddsItToTheAnnIndexBeforeAnySearch()
    {
        using var directory = new TempDirectory();
        var options = Options(directory.Path);
        await using var store = new EmbeddedStore(options);
        var written = new List<ChunkRecord>();
        for (var file = 0; file < 30; file++)
        {
            var chunks = ConformanceData.Chunks("r", $"f{file}.py", [.. Enumerable.Range(0, 10).Select(i => $"def f_{file}_{i}(): return {i}")]);
            await store.ApplyFileAsync(ConformanceData.Update("r", $"f{file}.py", chunks), Ct);
            written.AddRange(chunks);
        }

        using var services = new ServiceCollection().AddSingleton(store).BuildServiceProvider();
        var keeper = new DenseIndexKeeper(services, Microsoft.Extensions.Options.Options.Create(options), NullLogger<DenseIndexKeeper>.Instance);
        Assert.False(store.UsesAnnIndex);

        Assert.True(await keeper.TickAsync(Ct));

        // 300 vectors past the exact threshold of 50: the tick switched to the ANN index and added them all.
        Assert.True(store.UsesAnnIndex);
        Assert.Equal(await store.GetCommitSequenceAsync(Ct), keeper.CaughtUpTo);
        var hit = (await store.SearchDenseAsync(ConformanceData.VectorOf(written[123]), 1, ChunkFilter.None, Ct))[0];
        Assert.Equal(written[123].Id, hit.ChunkId);
    }

    [Fact]
    public async Task Tick_DataDirectoryHeldByAnotherWriter_StopsTheKeeperWithoutThrowing()
    {
        using var directory = new TempDirectory();
        var options = Options(directory.Path);
        await using var holder = new EmbeddedStore(options);
        using var services = new ServiceCollection().AddSingleton(_ => new EmbeddedStore(options)).BuildServiceProvider();
        var keeper = new DenseIndexKeeper(services, Microsoft.Extensions.Options.Options.Create(options), NullLogger<DenseIndexKeeper>.Instance);

        Assert.False(await keeper.TickAsync(Ct));
        Assert.Equal(-1, keeper.CaughtUpTo);
    }

    [Fact]
    public async Task Execute_IntervalZero_EndsWithoutOpeningTheStore()
    {
        using var directory = new TempDirectory();
        var options = Options(directory.Path);
        options.DenseCatchUpInterval = TimeSpan.Zero;
        using var services = new ServiceCollection()
            .AddSingleton<EmbeddedStore>(_ => throw new InvalidOperationException("the keeper must not open the store"))
            .BuildServiceProvider();
        using var keeper = new DenseIndexKeeper(services, Microsoft.Extensions.Options.Options.Create(options), NullLogger<DenseIndexKeeper>.Instance);

        await keeper.StartAsync(Ct);

        await keeper.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(keeper.ExecuteTask.IsCompletedSuccessfully);
    }

    private static EmbeddedStorageOptions Options(string directory) => new()
    {
        DataDirectory = directory,
        ModelId = "test-model@1",
        Dimensions = ConformanceData.Dimensions,
        ExactSearchThreshold = 50,
    };
}
