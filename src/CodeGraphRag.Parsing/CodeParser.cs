using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Languages;
using CodeGraphRag.Parsing.Syntax;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Parsing;

/// <summary>
/// Detects a file's language, runs the syntax extractor registered for it and chunks the result. Languages without an
/// extractor, and files whose extractor fails, get line windows.
/// </summary>
/// <remarks>Thread-safe; holds no per-file state. The first extractor that lists a language handles it.</remarks>
public sealed class CodeParser : ICodeParser
{
    private readonly ILanguageRegistry _registry;
    private readonly Dictionary<string, ISyntaxExtractor> _extractors = new(StringComparer.Ordinal);
    private readonly Chunker _chunker;

    /// <summary>Creates a parser over the given extractors, counting tokens with <paramref name="tokenCounter"/> when given (else estimating them).</summary>
    public CodeParser(ILanguageRegistry registry, IEnumerable<ISyntaxExtractor> extractors, IOptions<ChunkingOptions> options, ITokenCounter? tokenCounter = null)
        : this(registry, extractors, new Chunker(options?.Value ?? throw new ArgumentNullException(nameof(options)), tokenCounter))
    {
    }

    internal CodeParser(ILanguageRegistry registry, IEnumerable<ISyntaxExtractor> extractors, Chunker chunker)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(extractors);
        ArgumentNullException.ThrowIfNull(chunker);
        _registry = registry;
        _chunker = chunker;
        foreach (var extractor in extractors)
        {
            foreach (var language in extractor.Languages)
            {
                _extractors.TryAdd(language, extractor);
            }
        }
    }

    /// <inheritdoc/>
    public string GetVersion(string language)
    {
        var extractor = _extractors.TryGetValue(language, out var found) ? found.GetVersion(language) : "windows";
        return $"{extractor}+{_chunker.Fingerprint}";
    }

    /// <inheritdoc/>
    public ParsedFile Parse(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var language = _registry.Detect(path) ?? LanguageIds.Text;
        if (!_extractors.TryGetValue(language, out var extractor))
        {
            return Windows(language, text, 0, cancellationToken);
        }

        SyntaxFacts facts;
        IReadOnlyList<ChunkDraft> chunks;
        try
        {
            facts = extractor.Extract(language, path, text, cancellationToken);
            chunks = _chunker.ChunkCode(language, text, facts.Symbols, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            // CGR: a parser bug must not stop a sync; the file is still searchable as text and the error is counted.
            return Windows(language, text, 1, cancellationToken);
        }

        return new ParsedFile(language, facts.Symbols, facts.Calls, facts.Imports, facts.Inheritance, chunks, facts.SyntaxErrors);
    }

    private ParsedFile Windows(string language, string text, int syntaxErrors, CancellationToken cancellationToken) =>
        new(language, [], [], [], [], _chunker.ChunkWindows(language, text, cancellationToken), syntaxErrors);
}
