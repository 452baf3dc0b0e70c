using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Neo4j graph index.</summary>
public static class Neo4jServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="Neo4jGraphIndex"/> singleton as <see cref="IGraphIndex"/>, <see cref="ICodeGraphStore"/> and
    /// <see cref="IRepositoryCatalog"/>, with <see cref="Neo4jOptions"/> bound from the <c>CodeGraphRag:Storage:Neo4j</c>
    /// section of the registered <c>IConfiguration</c> (Url, User, Password, Database, UseTransactionalApi, RequestTimeout,
    /// BatchSize, MaxRetries, RetryBaseDelay), then <paramref name="configure"/>, validated on start.
    /// </summary>
    /// <remarks>
    /// The HTTP client is a named <c>IHttpClientFactory</c> client (<c>CodeGraphRag.Storage.Neo4j</c>) whose own timeout is
    /// off; <see cref="Neo4jOptions.RequestTimeout"/> bounds each request. Pair it with a chunk index through
    /// <see cref="SplitIndexWriter"/> for the write side. Uses TryAdd for the ports, so earlier registrations win.
    /// </remarks>
    public static IServiceCollection AddCodeGraphRagNeo4j(this IServiceCollection services, Action<Neo4jOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<Neo4jOptions>().BindConfiguration(Neo4jOptions.SectionName);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Neo4jOptions>, Neo4jOptionsValidator>());
        services.AddHttpClient(Constants.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new Neo4jGraphIndex(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(Constants.HttpClientName),
            sp.GetRequiredService<IOptions<Neo4jOptions>>(),
            sp.GetService<ILogger<Neo4jGraphIndex>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IGraphIndex>(sp => sp.GetRequiredService<Neo4jGraphIndex>());
        services.TryAddSingleton<ICodeGraphStore>(sp => sp.GetRequiredService<Neo4jGraphIndex>());
        services.TryAddSingleton<IRepositoryCatalog>(sp => sp.GetRequiredService<Neo4jGraphIndex>());
        return services;
    }
}
