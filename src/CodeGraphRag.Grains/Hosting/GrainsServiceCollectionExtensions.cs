using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Retrieval.Search;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the grains need besides the ports.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the indexing pipeline helpers, <see cref="IndexingOptions"/> (section <c>CodeGraphRag:Indexing</c>) and
    /// <see cref="SearchOptions"/> (section <c>CodeGraphRag:Search</c>) and <see cref="EmbeddingCallOptions"/> (section
    /// <c>CodeGraphRag:EmbeddingCalls</c>), both validated when the host starts.
    /// The ports (parser, redactor, stores, embedder) are registered by their own extensions.
    /// </summary>
    public static IServiceCollection AddCodeGraphRagGrains(this IServiceCollection services, Action<IndexingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<IndexingOptions>().BindConfiguration(IndexingOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>());
        services.AddOptions<EmbeddingCallOptions>().BindConfiguration(EmbeddingCallOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingCallOptions>, EmbeddingCallOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineVersion>();
        services.TryAddSingleton<EmbeddingModelCache>();
        return services;
    }
}
