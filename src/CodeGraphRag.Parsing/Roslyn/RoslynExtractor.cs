using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Languages;
using CodeGraphRag.Parsing.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SyntaxFacts = CodeGraphRag.Parsing.Syntax.SyntaxFacts;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>Extracts C# symbols, calls, usings and base types from a Roslyn syntax tree (no compilation, no semantic model).</summary>
/// <remarks>Thread-safe and stateless: every call parses its own tree.</remarks>
internal sealed class RoslynExtractor : ISyntaxExtractor
{
    /// <summary>Bump when the extracted facts change for the same input.</summary>
    public const string Version = "roslyn-1";

    // CGR: Preview so the newest syntax (extension blocks, field keyword) parses without errors;
    // no documentation comments are parsed into structured trivia, which we never read.
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.None);

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Languages { get; } = [LanguageIds.CSharp];

    /// <inheritdoc/>
    public string GetVersion(string language) => Version;

    /// <inheritdoc/>
    public SyntaxFacts Extract(string language, string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(text), ParseOptions, path ?? string.Empty, cancellationToken);
        var root = tree.GetRoot(cancellationToken);
        var collector = new CSharpFactsCollector(new SourceLines(text), cancellationToken);
        var errors = 0;
        try
        {
            collector.Walk(root);
        }
        catch (InsufficientExecutionStackException)
        {
            // CGR: pathologically nested code; keep what was collected and count the file as damaged.
            errors++;
        }

        if (root.ContainsDiagnostics)
        {
            foreach (var diagnostic in tree.GetDiagnostics(cancellationToken))
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    errors++;
                }
            }
        }

        return new SyntaxFacts(collector.Symbols, collector.Calls, collector.Imports, collector.Inheritance, errors);
    }
}
