using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing;
using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Languages;
using CodeGraphRag.Parsing.Roslyn;
using CodeGraphRag.Parsing.Secrets;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers language detection, the syntax extractors, the chunker and <see cref="ICodeParser"/>.</summary>
public static class ParsingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICodeParser"/> with the Roslyn extractor for C# and the tree-sitter extractor for the other
    /// languages, and the <see cref="ISecretRedactor"/>. <see cref="ChunkingOptions"/> are bound from the
    /// <c>CodeGraphRag:Parsing</c> section when an <see cref="IConfiguration"/> is registered, then <paramref name="configure"/>
    /// runs. Tokens are counted with the registered <see cref="ITokenCounter"/>, or estimated when there is none.
    /// Every registration is a TryAdd, so hosts and tests can replace any part.
    /// </summary>
    /// <exception cref="OptionsValidationException">On first use, when the options are out of range.</exception>
    public static IServiceCollection AddCodeGraphRagParsing(this IServiceCollection services, Action<ChunkingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<ChunkingOptions>()
            .Configure<IServiceProvider>((o, provider) => provider.GetService<IConfiguration>()?.GetSection(ChunkingOptions.SectionName).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChunkingOptions>, ChunkingOptionsValidator>());

        services.TryAddSingleton<ILanguageRegistry, LanguageRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISyntaxExtractor, RoslynExtractor>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISyntaxExtractor, TreeSitterExtractor>(_ => new TreeSitterExtractor()));
        services.TryAddSingleton<ISecretRedactor>(_ => new SecretRedactor());

        services.TryAddSingleton(provider => new Chunker(
            provider.GetRequiredService<IOptions<ChunkingOptions>>().Value,
            provider.GetService<ITokenCounter>()));
        services.TryAddSingleton<ICodeParser>(provider => new CodeParser(
            provider.GetRequiredService<ILanguageRegistry>(),
            provider.GetServices<ISyntaxExtractor>(),
            provider.GetRequiredService<Chunker>()));
        return services;
    }
}
