using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>Creates embedded stores in temporary data directories that are deleted with the store.</summary>
internal static class EmbeddedStoreFactory
{
    public const string ModelId = "test-model@1/cls";

    public static EmbeddedStorageOptions Options(string directory, int dimensions = ConformanceData.Dimensions, int exactThreshold = 20_000, bool readOnly = false) => new()
    {
        DataDirectory = directory,
        ModelId = ModelId,
        Dimensions = dimensions,
        ExactSearchThreshold = exactThreshold,
        ReadOnly = readOnly,
    };

    public static StoreUnderTest Create(int exactThreshold = 20_000)
    {
        var directory = new TempDirectory("cgr-embedded");
        var store = new EmbeddedStore(Options(directory.Path, exactThreshold: exactThreshold));
        return new StoreUnderTest(store, store, store, store, new Owner(store, directory));
    }

    public static EmbeddedStore Store(this StoreUnderTest store) => ((Owner)store.Owner).Store;

    private sealed class Owner(EmbeddedStore store, TempDirectory directory) : IAsyncDisposable
    {
        public EmbeddedStore Store => store;

        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            directory.Dispose();
        }
    }
}
