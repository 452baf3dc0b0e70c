using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Hosting.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wraps the registered store ports in tracing decorators.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the registrations of <see cref="IChunkStore"/>, <see cref="ICodeGraphStore"/>, <see cref="IIndexWriter"/> and
    /// <see cref="IEmbeddingCache"/> with decorators that open a span per call (tagged with the implementation's name). Call it
    /// after every store is registered.
    /// </summary>
    public static IServiceCollection AddCodeGraphRagStoreTracing(this IServiceCollection services)
    {
        Decorate<IChunkStore>(services, (inner, backend) => new TracedChunkStore(inner, backend));
        Decorate<ICodeGraphStore>(services, (inner, backend) => new TracedCodeGraphStore(inner, backend));
        Decorate<IIndexWriter>(services, (inner, backend) => new TracedIndexWriter(inner, backend));
        Decorate<IEmbeddingCache>(services, (inner, backend) => new TracedEmbeddingCache(inner, backend));
        return services;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, string, T> wrap)
        where T : class
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(T) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(T), sp =>
            {
                var inner = (T)(descriptor.ImplementationInstance
                    ?? descriptor.ImplementationFactory?.Invoke(sp)
                    ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
                return wrap(inner, inner.GetType().Name);
            }, descriptor.Lifetime);
        }
    }
}
