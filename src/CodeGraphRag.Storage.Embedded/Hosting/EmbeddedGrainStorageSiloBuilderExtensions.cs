using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers <see cref="EmbeddedGrainStorage"/> on a silo.</summary>
public static class EmbeddedGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage <paramref name="name"/> in the embedded store's database. The <see cref="EmbeddedStore"/> must be
    /// registered too (<c>AddCodeGraphRagEmbeddedStorage</c>); state is serialised with the silo's <see cref="IGrainStorageSerializer"/>.
    /// </summary>
    public static ISiloBuilder AddEmbeddedGrainStorage(this ISiloBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddGrainStorage(name, static (sp, providerName) =>
            new EmbeddedGrainStorage(providerName, sp.GetRequiredService<EmbeddedStore>(), sp.GetRequiredService<IGrainStorageSerializer>()));
        return builder;
    }
}
