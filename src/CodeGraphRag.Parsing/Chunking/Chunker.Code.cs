using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Symbol-aware chunking of code.</summary>
internal sealed partial class Chunker
{
    private const int TopLevel = -1;

    // Top-level runs this small carry no meaning of their own (a namespace line, one import).
    private const int TinyRunTokens = 8;

    /// <summary>
    /// Chunks code along its symbols. Multi-line functions, methods, constructors and properties get a chunk each (with the
    /// comments directly above them); classes, interfaces, structs, records and enums get a header chunk in which each member
    /// that has its own chunk is replaced by its signature; the remaining lines form top-level groups. One-line members stay in
    /// their type's header, where they are as short as their signature.
    /// </summary>
    public IReadOnlyList<ChunkDraft> ChunkCode(string language, string text, IReadOnlyList<SymbolInfo> symbols, CancellationToken cancellationToken = default)
    {
        var file = new FileText(text, _budget);
        if (file.IsEmpty)
        {
            return [];
        }

        var lines = file.Lines;
        var nodes = BuildNodes(symbols, lines.Count);
        var owner = new int[lines.Count + 2];
        Array.Fill(owner, TopLevel);
        for (var i = 0; i < nodes.Count; i++)
        {
            Array.Fill(owner, i, nodes[i].Start, nodes[i].End - nodes[i].Start + 1);
        }

        AttachLeadingComments(nodes, owner, lines, CommentStyle.PrefixesFor(language));

        var output = new List<ChunkDraft>();
        for (var i = 0; i < nodes.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = nodes[i];
            if (node.IsUnit)
            {
                EmitUnit(file, node, symbols, output);
            }
            else
            {
                EmitTypeHeader(file, nodes, i, owner, output);
            }
        }

        EmitTopLevel(file, owner, output);
        return [.. output.OrderBy(c => c.StartLine).ThenByDescending(c => c.EndLine)];
    }

    private static bool IsUnit(SymbolKind kind) => kind is SymbolKind.Method or SymbolKind.Function or SymbolKind.Constructor or SymbolKind.Property;

    private static bool IsContainer(SymbolKind kind) =>
        kind is SymbolKind.Class or SymbolKind.Interface or SymbolKind.Struct or SymbolKind.Record or SymbolKind.Enum;

    /// <summary>The chunk-bearing symbols in source order, nested by span; anything inside a function belongs to the function.</summary>
    private static List<Node> BuildNodes(IReadOnlyList<SymbolInfo> symbols, int lineCount)
    {
        var candidates = new List<(SymbolInfo Symbol, int Order)>();
        for (var i = 0; i < symbols.Count; i++)
        {
            var symbol = symbols[i];
            var chunked = IsContainer(symbol.Kind) || (IsUnit(symbol.Kind) && symbol.EndLine > symbol.StartLine);
            if (chunked && symbol.StartLine >= 1 && symbol.StartLine <= lineCount && symbol.EndLine >= symbol.StartLine)
            {
                candidates.Add((symbol, i));
            }
        }

        candidates.Sort((a, b) => a.Symbol.StartLine != b.Symbol.StartLine
            ? a.Symbol.StartLine.CompareTo(b.Symbol.StartLine)
            : a.Symbol.EndLine != b.Symbol.EndLine ? b.Symbol.EndLine.CompareTo(a.Symbol.EndLine) : a.Order.CompareTo(b.Order));

        var nodes = new List<Node>(candidates.Count);
        var open = new Stack<int>();
        foreach (var (symbol, _) in candidates)
        {
            var start = symbol.StartLine;
            var end = Math.Min(symbol.EndLine, lineCount);
            while (open.Count > 0 && nodes[open.Peek()].End < start)
            {
                open.Pop();
            }

            var parent = TopLevel;
            if (open.Count > 0)
            {
                parent = open.Peek();
                if (nodes[parent].IsUnit)
                {
                    continue;
                }

                // CGR: an extractor's span that leaks out of its parent is clamped, so ownership stays a tree.
                end = Math.Min(end, nodes[parent].End);
            }

            var node = new Node(symbol, start, end, IsUnit(symbol.Kind), parent);
            if (parent != TopLevel)
            {
                nodes[parent].Children.Add(nodes.Count);
            }

            open.Push(nodes.Count);
            nodes.Add(node);
        }

        return nodes;
    }

    /// <summary>Gives each symbol the comment lines directly above it that its parent (or the top level) owns.</summary>
    private static void AttachLeadingComments(List<Node> nodes, int[] owner, SourceLines lines, string[] prefixes)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var line = node.Start - 1;
            while (line >= 1 && owner[line] == node.Parent && !lines.IsBlank(line) && CommentStyle.IsComment(lines.Span(line), prefixes))
            {
                owner[line] = i;
                node.Start = line;
                line--;
            }
        }
    }

    private void EmitUnit(FileText file, Node node, IReadOnlyList<SymbolInfo> symbols, List<ChunkDraft> output)
    {
        var path = node.Symbol.QualifiedName;
        var signature = node.Symbol.Signature;
        if (file.EmitWhole(node.Start, node.End, int.MaxValue, path, ChunkKind.Function, signature, output))
        {
            return;
        }

        // Too big: prefer cuts at the boundaries of nested symbols (local functions, nested types, closures the extractor reports).
        var boundaries = new HashSet<int>();
        foreach (var inner in symbols)
        {
            if (inner.StartLine > node.Symbol.StartLine && inner.EndLine <= node.End && !ReferenceEquals(inner, node.Symbol))
            {
                boundaries.Add(inner.StartLine);
                boundaries.Add(inner.EndLine + 1);
            }
        }

        var items = new ChunkLine[node.End - node.Start + 1];
        for (var line = node.Start; line <= node.End; line++)
        {
            items[line - node.Start] = file.Line(line, boundaries.Contains(line));
        }

        BudgetSplitter.Split(items, _budget, _options.OverlapLines, int.MaxValue, path, ChunkKind.Function, signature, output);
    }

    private void EmitTypeHeader(FileText file, List<Node> nodes, int index, int[] owner, List<ChunkDraft> output)
    {
        var node = nodes[index];
        var lines = file.Lines;

        // A segment is a line the type owns (Member == null) or a member with its own chunk, shown as its signature.
        var segments = new List<(int Line, Node? Member)>(node.End - node.Start + 1);
        var child = 0;
        for (var line = node.Start; line <= node.End;)
        {
            if (owner[line] == index)
            {
                segments.Add((line, null));
                line++;
                continue;
            }

            while (child < node.Children.Count && nodes[node.Children[child]].End < line)
            {
                child++;
            }

            if (child == node.Children.Count || nodes[node.Children[child]].Start > line)
            {
                segments.Add((line, null));
                line++;
                continue;
            }

            var member = nodes[node.Children[child]];
            segments.Add((line, member));
            line = member.End + 1;
        }

        var path = node.Symbol.QualifiedName;
        var signature = node.Symbol.Signature;
        var text = new System.Text.StringBuilder();
        foreach (var (line, member) in segments)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            if (member is null)
            {
                text.Append(lines.Span(line));
            }
            else
            {
                text.Append(StandIn(lines, member));
            }
        }

        var whole = text.ToString();
        if (_budget.Count(whole) <= _budget.MaxTokens)
        {
            output.Add(new ChunkDraft(path, ChunkKind.TypeHeader, node.Start, node.End, whole, signature));
            return;
        }

        var items = new List<ChunkLine>(segments.Count);
        var afterElision = false;
        foreach (var (line, member) in segments)
        {
            if (member is null)
            {
                items.Add(file.Line(line, afterElision));
                afterElision = false;
                continue;
            }

            var stand = StandIn(lines, member);
            items.Add(new ChunkLine(stand, member.Start, member.End, _budget.Count(stand), false, true));
            afterElision = true;
        }

        BudgetSplitter.Split(items, _budget, _options.OverlapLines, int.MaxValue, path, ChunkKind.TypeHeader, signature, output);
    }

    /// <summary>The line that replaces a member in its type's header: the member's indentation and signature, then <c>...</c>.</summary>
    private static string StandIn(SourceLines lines, Node member)
    {
        var first = lines.Span(member.Symbol.StartLine);
        var indent = first[..(first.Length - first.TrimStart().Length)];
        return $"{indent}{member.Symbol.Signature ?? first.Trim().ToString()} ...";
    }

    /// <summary>Groups the lines no symbol owns into contiguous top-level chunks; closing-only groups join the chunk they close.</summary>
    private void EmitTopLevel(FileText file, int[] owner, List<ChunkDraft> output)
    {
        var lines = file.Lines;
        var line = 1;
        while (line <= lines.Count)
        {
            if (owner[line] != TopLevel)
            {
                line++;
                continue;
            }

            var runStart = line;
            while (line <= lines.Count && owner[line] == TopLevel)
            {
                line++;
            }

            var runEnd = line - 1;
            if (IsClosingOnly(lines, runStart, runEnd) && TryExtendPrevious(file, runStart, runEnd, output))
            {
                continue;
            }

            if (TryPrependToNext(file, runStart, runEnd, output))
            {
                continue;
            }

            if (file.EmitWhole(runStart, runEnd, _options.WindowLines, string.Empty, ChunkKind.TopLevel, null, output))
            {
                continue;
            }

            var items = new ChunkLine[runEnd - runStart + 1];
            for (var i = runStart; i <= runEnd; i++)
            {
                items[i - runStart] = file.Line(i, i > runStart && !lines.IsBlank(i) && lines.IsBlank(i - 1));
            }

            BudgetSplitter.Split(items, _budget, _options.OverlapLines, _options.WindowLines, string.Empty, ChunkKind.TopLevel, null, output);
        }
    }

    private static bool IsClosingOnly(SourceLines lines, int first, int last)
    {
        for (var line = first; line <= last; line++)
        {
            if (!CommentStyle.IsClosingOnly(lines.Span(line)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends a closing-only run (a namespace's <c>}</c>) to the outermost chunk that ends right above it, if the budget allows.</summary>
    private bool TryExtendPrevious(FileText file, int runStart, int runEnd, List<ChunkDraft> output)
    {
        var target = -1;
        for (var i = 0; i < output.Count; i++)
        {
            if (output[i].EndLine == runStart - 1 && (target < 0 || output[i].StartLine < output[target].StartLine))
            {
                target = i;
            }
        }

        if (target < 0)
        {
            return false;
        }

        var lines = file.Lines;
        while (runEnd >= runStart && lines.IsBlank(runEnd))
        {
            runEnd--;
        }

        if (runEnd < runStart)
        {
            return true;
        }

        var previous = output[target];
        var text = $"{previous.Text}\n{file.RangeText(runStart, runEnd)}";
        if (_budget.Count(text) > _budget.MaxTokens)
        {
            return false;
        }

        output[target] = previous with { EndLine = runEnd, Text = text };
        return true;
    }

    /// <summary>
    /// Puts a trivially small run (<c>namespace Acme {</c>, one import, a <c>#region</c> line) at the start of the outermost chunk
    /// that begins right below it, instead of embedding it alone.
    /// </summary>
    private bool TryPrependToNext(FileText file, int runStart, int runEnd, List<ChunkDraft> output)
    {
        var lines = file.Lines;
        var first = runStart;
        while (first <= runEnd && lines.IsBlank(first))
        {
            first++;
        }

        if (first > runEnd || runEnd + 1 > lines.Count)
        {
            return first > runEnd;
        }

        var run = file.RangeText(first, runEnd);
        if (_budget.Count(run) > TinyRunTokens)
        {
            return false;
        }

        var target = -1;
        for (var i = 0; i < output.Count; i++)
        {
            if (output[i].StartLine == runEnd + 1 && (target < 0 || output[i].EndLine > output[target].EndLine))
            {
                target = i;
            }
        }

        if (target < 0)
        {
            return false;
        }

        var next = output[target];
        var text = $"{run}\n{next.Text}";
        if (_budget.Count(text) > _budget.MaxTokens)
        {
            return false;
        }

        output[target] = next with { StartLine = first, Text = text };
        return true;
    }

    private sealed class Node(SymbolInfo symbol, int start, int end, bool isUnit, int parent)
    {
        public SymbolInfo Symbol { get; } = symbol;

        public int Start { get; set; } = start;

        public int End { get; } = end;

        public bool IsUnit { get; } = isUnit;

        public int Parent { get; } = parent;

        public List<int> Children { get; } = [];
    }
}
