using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.TestSupport;

/// <summary>
/// The logical content of an embedded index in a data directory (rows, vectors, lexical docs, graph), read-only, for
/// "equals a clean index" assertions. Shared by the CLI and end-to-end test projects (linked into the latter).
/// </summary>
internal static class IndexExport
{
    public static async Task<string> ExportAsync(string dataDirectory, string? repository = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddCodeGraphRagEmbeddings()
            .BuildServiceProvider();
        var model = services.GetRequiredService<IEmbedder>().Model;
        await using var store = new EmbeddedStore(new EmbeddedStorageOptions
        {
            DataDirectory = dataDirectory,
            ModelId = model.Id,
            Dimensions = model.Dimensions,
            ReadOnly = true,
        });
        return (await store.ExportLogicalStateAsync(repository)).Json;
    }
}
