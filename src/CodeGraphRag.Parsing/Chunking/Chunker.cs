using System.Globalization;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>
/// Cuts a file into chunks: along symbols for code (one chunk per multi-line function, a header per type, grouped top-level
/// lines), in line windows for everything else. Every non-blank line lands in a chunk, and only overlapping parts of a split
/// symbol repeat lines.
/// </summary>
/// <remarks>Thread-safe: per-file state lives in locals.</remarks>
internal sealed partial class Chunker
{
    /// <summary>Bump when the chunks change for the same input and options.</summary>
    public const string Version = "chunker-1";

    private readonly ChunkingOptions _options;
    private readonly TokenBudget _budget;

    public Chunker(ChunkingOptions options, ITokenCounter? tokenCounter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _budget = new TokenBudget(tokenCounter, options.MaxTokens, options.CharsPerToken);
        Fingerprint = string.Create(
            CultureInfo.InvariantCulture,
            $"{Version}/{options.MaxTokens}/{options.OverlapLines}/{options.WindowLines}/{(tokenCounter is null ? $"est{options.CharsPerToken}" : "model")}");
    }

    /// <summary>The chunker version with every option that shapes chunks, for the parser version.</summary>
    public string Fingerprint { get; }

    /// <summary>Line windows of at most <see cref="ChunkingOptions.WindowLines"/> lines and the token budget, cut at sections where the format has them.</summary>
    public IReadOnlyList<ChunkDraft> ChunkWindows(string language, string text, CancellationToken cancellationToken = default)
    {
        var file = new FileText(text, _budget);
        if (file.IsEmpty)
        {
            return [];
        }

        var lines = file.Lines;
        var breaks = WindowBreaks.Find(language, lines);
        var output = new List<ChunkDraft>();
        if (!file.EmitWhole(1, lines.Count, _options.WindowLines, string.Empty, ChunkKind.Window, null, output))
        {
            var items = new ChunkLine[lines.Count];
            for (var line = 1; line <= lines.Count; line++)
            {
                if ((line & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                items[line - 1] = file.Line(line, breaks.BreakBefore[line]);
            }

            BudgetSplitter.Split(items, _budget, _options.OverlapLines, _options.WindowLines, string.Empty, ChunkKind.Window, null, output);
        }

        if (breaks.Headings is { } headings)
        {
            for (var i = 0; i < output.Count; i++)
            {
                if (headings[output[i].StartLine] is { } heading)
                {
                    output[i] = output[i] with { Signature = heading };
                }
            }
        }

        return output;
    }
}
