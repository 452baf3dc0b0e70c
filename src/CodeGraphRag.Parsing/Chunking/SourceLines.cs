namespace CodeGraphRag.Parsing.Chunking;

/// <summary>The lines of a file, split on <c>\n</c> with a trailing <c>\r</c> dropped (the convention tree-sitter rows follow too).</summary>
/// <remarks>
/// CGR: Roslyn also breaks lines at a lone <c>\r</c>, U+0085, U+2028 and U+2029; we map its positions through this table instead,
/// so every extractor and the chunker agree on line numbers.
/// </remarks>
internal sealed class SourceLines
{
    private readonly string _text;
    private readonly int[] _starts;

    public SourceLines(string text)
    {
        _text = text;
        var starts = new List<int>(Math.Max(16, text.Length / 32)) { 0 };
        var span = text.AsSpan();
        var offset = 0;
        while (true)
        {
            var nl = span[offset..].IndexOf('\n');
            if (nl < 0)
            {
                break;
            }

            offset += nl + 1;
            starts.Add(offset);
        }

        // A final newline ends the last line rather than starting an empty one.
        if (starts.Count > 1 && starts[^1] == text.Length)
        {
            starts.RemoveAt(starts.Count - 1);
        }

        _starts = [.. starts];
    }

    /// <summary>Number of lines (0 for an empty text).</summary>
    public int Count => _text.Length == 0 ? 0 : _starts.Length;

    /// <summary>1-based line of a character position (positions past the end map to the last line).</summary>
    public int LineOf(int position)
    {
        var index = Array.BinarySearch(_starts, position);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>Character position where a 1-based line starts.</summary>
    public int Start(int line) => _starts[line - 1];

    /// <summary>Character position just past a 1-based line's last character (its terminator excluded).</summary>
    public int End(int line)
    {
        var start = _starts[line - 1];
        var end = line < _starts.Length ? _starts[line] - 1 : _text.Length;
        if (end > start && _text[end - 1] == '\n')
        {
            end--;
        }

        if (end > start && _text[end - 1] == '\r')
        {
            end--;
        }

        return end;
    }

    /// <summary>The text of a 1-based line, without its terminator.</summary>
    public ReadOnlySpan<char> Span(int line)
    {
        var start = _starts[line - 1];
        return _text.AsSpan(start, End(line) - start);
    }

    /// <summary>The text of a 1-based line, without its terminator.</summary>
    public string this[int line] => Span(line).ToString();

    /// <summary>True when the line has no visible character.</summary>
    public bool IsBlank(int line) => Span(line).IsWhiteSpace();
}
