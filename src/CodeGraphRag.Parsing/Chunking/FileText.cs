using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>One file's lines with cached token counts, and the fast path that emits a range as one chunk when it fits.</summary>
internal sealed class FileText
{
    private readonly string _text;
    private readonly TokenBudget _budget;
    private readonly bool _hasCarriageReturns;
    private int[]? _tokens;

    public FileText(string text, TokenBudget budget)
    {
        _text = text;
        _budget = budget;
        Lines = new SourceLines(text);
        _hasCarriageReturns = text.Contains('\r', StringComparison.Ordinal);
        IsEmpty = text.AsSpan().IsWhiteSpace();
    }

    public SourceLines Lines { get; }

    /// <summary>True when the file has no visible character (no chunks).</summary>
    public bool IsEmpty { get; }

    public int Tokens(int line)
    {
        _tokens ??= new int[Lines.Count + 1];
        var cached = _tokens[line];
        if (cached == 0)
        {
            // Stored plus one so that zero means "not counted yet".
            cached = _budget.Count(Lines.Span(line)) + 1;
            _tokens[line] = cached;
        }

        return cached - 1;
    }

    public ChunkLine Line(int line, bool breakBefore)
    {
        var text = Lines[line];
        return new ChunkLine(text, line, line, Tokens(line), string.IsNullOrWhiteSpace(text), breakBefore);
    }

    /// <summary>The lines joined with <c>\n</c>.</summary>
    public string RangeText(int first, int last)
    {
        if (!_hasCarriageReturns)
        {
            var start = Lines.Start(first);
            return _text.Substring(start, Lines.End(last) - start);
        }

        return string.Join('\n', Enumerable.Range(first, last - first + 1).Select(line => Lines[line]));
    }

    /// <summary>True when lines [first, last] joined fit the token budget.</summary>
    /// <remarks>
    /// CGR: nested symbols try to fit at every level (class, then each method), so counting each range's text tokenised
    /// the same lines once per nesting level (a quarter of C# parse time); when counts add up over lines, the cached
    /// per-line counts are summed instead and every line is tokenised once.
    /// </remarks>
    private bool Fits(int first, int last)
    {
        if (!_budget.LinesAddUp)
        {
            return _budget.Count(RangeText(first, last)) <= _budget.MaxTokens;
        }

        var total = 0;
        for (var line = first; line <= last; line++)
        {
            total += Tokens(line);
            if (total > _budget.MaxTokens)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds [first, last] (blank edges trimmed) as one chunk when it fits the line cap and the budget; false when it must be split.</summary>
    public bool EmitWhole(int first, int last, int maxLines, string symbolPath, ChunkKind kind, string? signature, List<ChunkDraft> output)
    {
        while (first <= last && Lines.IsBlank(first))
        {
            first++;
        }

        while (last >= first && Lines.IsBlank(last))
        {
            last--;
        }

        if (first > last)
        {
            return true;
        }

        if (last - first + 1 > maxLines)
        {
            return false;
        }

        if (!Fits(first, last))
        {
            return false;
        }

        var text = RangeText(first, last);
        output.Add(new ChunkDraft(symbolPath, kind, first, last, text, signature));
        return true;
    }
}
