namespace CodeGraphRag.Parsing.Syntax;

/// <summary>Extracts symbols and references for some languages (Roslyn for C#, tree-sitter for the rest).</summary>
/// <remarks>Thread-safe: one instance serves concurrent files.</remarks>
public interface ISyntaxExtractor
{
    /// <summary>Language ids this extractor handles (see <c>LanguageRegistry</c>).</summary>
    IReadOnlyCollection<string> Languages { get; }

    /// <summary>Version of the extraction rules for <paramref name="language"/> (bump when queries or logic change).</summary>
    string GetVersion(string language);

    /// <summary>Extracts the facts of one file. Never throws for malformed input: errors are counted in <see cref="SyntaxFacts.SyntaxErrors"/>.</summary>
    SyntaxFacts Extract(string language, string path, string text, CancellationToken cancellationToken = default);
}
