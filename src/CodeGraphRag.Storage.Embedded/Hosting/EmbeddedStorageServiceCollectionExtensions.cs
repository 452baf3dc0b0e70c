using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded store.</summary>
public static class EmbeddedStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="EmbeddedStore"/> singleton as <see cref="IRepositoryCatalog"/>, <see cref="IIndexWriter"/>,
    /// <see cref="IChunkStore"/>, <see cref="ICodeGraphStore"/> and <see cref="IEmbeddingCache"/>, with
    /// <see cref="EmbeddedStorageOptions"/> bound from the <c>CodeGraphRag:Storage:Embedded</c> section of the registered <c>IConfiguration</c> (every host has one),
    /// then <paramref name="configure"/>, validated on start.
    /// </summary>
    /// <remarks>
    /// Resolving the store opens the data directory; a read-write store throws <see cref="DataDirectoryLockedException"/>
    /// when another writer holds it. Uses TryAdd, so earlier registrations win.
    /// </remarks>
    public static IServiceCollection AddCodeGraphRagEmbeddedStorage(this IServiceCollection services, Action<EmbeddedStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<EmbeddedStorageOptions>().BindConfiguration(EmbeddedStorageOptions.SectionName);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedStorageOptions>, EmbeddedStorageOptionsValidator>());
        services.TryAddSingleton<EmbeddedStore>();
        services.TryAddSingleton<IRepositoryCatalog>(sp => sp.GetRequiredService<EmbeddedStore>());
        services.TryAddSingleton<IIndexWriter>(sp => sp.GetRequiredService<EmbeddedStore>());
        services.TryAddSingleton<IChunkStore>(sp => sp.GetRequiredService<EmbeddedStore>());
        services.TryAddSingleton<ICodeGraphStore>(sp => sp.GetRequiredService<EmbeddedStore>());
        services.TryAddSingleton<IEmbeddingCache>(sp => sp.GetRequiredService<EmbeddedStore>());
        return services;
    }
}
