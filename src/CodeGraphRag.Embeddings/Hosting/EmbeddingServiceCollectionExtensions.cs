using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Embeddings;
using CodeGraphRag.Embeddings.Internals;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ONNX Runtime embedder.</summary>
public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEmbedder"/> and <see cref="ITokenCounter"/> as one singleton backed by <see cref="OnnxEmbedder"/>,
    /// with <see cref="OnnxEmbeddingOptions"/> bound from the <c>CodeGraphRag:Embedding</c> configuration section
    /// (an <c>IConfiguration</c> must be registered) and validated on start.
    /// </summary>
    /// <remarks>
    /// The model is loaded on the first <see cref="IEmbedder.EmbedAsync"/>, not when the service is resolved. Invalid
    /// settings surface as <see cref="OptionsValidationException"/> (on host start, or when the service is first
    /// resolved), each failure naming the key to set. Existing registrations of the two services are kept.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Applied after configuration binding.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddCodeGraphRagEmbeddings(this IServiceCollection services, Action<OnnxEmbeddingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OnnxEmbeddingOptions>()
            .BindConfiguration(OnnxEmbeddingOptions.SectionName)
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxEmbeddingOptions>, OnnxEmbeddingOptionsValidator>());
        services.TryAddSingleton<LazyOnnxEmbedder>();
        services.TryAddSingleton<IEmbedder>(static sp => sp.GetRequiredService<LazyOnnxEmbedder>());
        services.TryAddSingleton<ITokenCounter>(static sp => sp.GetRequiredService<LazyOnnxEmbedder>());
        return services;
    }
}
