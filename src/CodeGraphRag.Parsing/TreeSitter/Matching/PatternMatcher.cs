using System.Buffers;
using System.Text;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Matching;

/// <summary>
/// Finds the matches of a language's extraction patterns in a parsed tree without tree-sitter's query cursor: one native
/// pre-order walk collects the nodes a pattern can start at (<c>cgr_collect</c>), then each pattern is matched there
/// with the node's children read natively (<c>cgr_children</c>). Same matches as <c>ts_query_cursor_next_match</c> for
/// the syntax <see cref="PatternSyntax"/> accepts (every combination of children, in sibling order), about twice as
/// fast on large trees because the walk does not track pattern state at every node.
/// </summary>
/// <remarks>Immutable and shared; each match run uses its own <see cref="Run"/> state, so concurrent files are safe.</remarks>
internal sealed unsafe class PatternMatcher
{
    private readonly CompiledPattern[][] _bySymbol;
    private readonly byte[] _rootMask;

    public PatternMatcher(nint language, string querySource, IReadOnlyList<string> captureNames)
    {
        var captureIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (var i = 0; i < captureNames.Count; i++)
        {
            captureIds[captureNames[i]] = (uint)i;
        }

        var syntax = PatternSyntax.Parse(querySource);
        var compiler = new Compiler(language, captureIds);
        CompiledPattern[] patterns = [.. syntax.Select((p, i) => new CompiledPattern(i, compiler.Node(p)))];
        var symbolCount = (int)TsNative.ts_language_symbol_count(language);
        _rootMask = new byte[symbolCount];
        var lists = new List<CompiledPattern>?[symbolCount];
        foreach (var pattern in patterns)
        {
            if (pattern.Root.Symbol == WildcardSymbol)
            {
                throw new InvalidOperationException("extraction query: a top-level pattern must name its node type.");
            }

            _rootMask[pattern.Root.Symbol] = 1;
            (lists[pattern.Root.Symbol] ??= []).Add(pattern);
        }

        _bySymbol = [.. lists.Select(l => l?.ToArray() ?? [])];
    }

    /// <summary>Symbol id standing for <c>(_)</c>: any named node.</summary>
    private const int WildcardSymbol = -1;

    /// <summary>Calls <paramref name="onMatch"/> for every match under <paramref name="root"/>: nodes in pre-order, then pattern order.</summary>
    /// <param name="root">The tree's root (or any node: only its subtree is searched).</param>
    /// <param name="onMatch">Receives the pattern index and the captures; the span is valid during the call only.</param>
    /// <param name="cancellationToken">Checked every 1,024 candidate nodes.</param>
    public void Run(TsNode root, MatchHandler onMatch, CancellationToken cancellationToken)
    {
        var candidates = Collect(root);
        var cursor = TsNative.ts_tree_cursor_new(root);
        try
        {
            var state = new MatchState(onMatch, &cursor);
            for (var i = 0; i < candidates.Count; i++)
            {
                if ((i & 1023) == 1023)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var node = candidates.Nodes[i];
                state.MatchRoot(node, _bySymbol[TsNative.ts_node_symbol(node)]);
            }
        }
        finally
        {
            TsNative.ts_tree_cursor_delete(&cursor);
            ArrayPool<TsNode>.Shared.Return(candidates.Nodes);
        }
    }

    private (TsNode[] Nodes, int Count) Collect(TsNode root)
    {
        var nodes = ArrayPool<TsNode>.Shared.Rent(1024);
        fixed (byte* mask = _rootMask)
        {
            while (true)
            {
                uint count;
                fixed (TsNode* output = nodes)
                {
                    count = TsNative.cgr_collect(root, mask, (uint)_rootMask.Length, output, (uint)nodes.Length);
                }

                if (count == uint.MaxValue)
                {
                    ArrayPool<TsNode>.Shared.Return(nodes);
                    throw new InsufficientMemoryException("The native tree walk ran out of memory.");
                }

                if (count <= nodes.Length)
                {
                    return (nodes, (int)count);
                }

                ArrayPool<TsNode>.Shared.Return(nodes);
                nodes = ArrayPool<TsNode>.Shared.Rent((int)count);
            }
        }
    }

    /// <summary>Receives one match.</summary>
    internal delegate void MatchHandler(int patternIndex, ReadOnlySpan<TsQueryCapture> captures);

    private sealed record CompiledPattern(int Index, NodePattern Root);

    /// <summary>A node pattern: <see cref="Symbol"/> (or <see cref="WildcardSymbol"/>), child items, negated fields, captures.</summary>
    private sealed record NodePattern(int Symbol, ChildItem[] Items, ushort[] NegatedFields, uint[] Captures)
    {
        public bool NeedsChildren => Items.Length > 0 || NegatedFields.Length > 0;
    }

    /// <summary>A child item: field id (0: any), first named child only, the alternatives and the captures on the match.</summary>
    private sealed record ChildItem(ushort Field, bool Anchored, NodePattern[] Alternatives, uint[] Captures);

    /// <summary>What the parent does after one of its child items matched: go on with its next item.</summary>
    private sealed record Continuation(CgrChild[] Children, int Count, NodePattern Parent, int NextItem, int From, Continuation? Outer);

    private sealed class Compiler(nint language, Dictionary<string, uint> captureIds)
    {
        public NodePattern Node(NodePatternSyntax syntax) => new(
            Symbol(syntax.Type),
            [.. syntax.Items.Select(i => new ChildItem(
                i.Field is null ? (ushort)0 : Field(i.Field),
                i.Anchored,
                [.. i.Pattern.Alternatives.Select(Node)],
                Captures(i.Pattern.Captures)))],
            [.. syntax.NegatedFields.Select(Field)],
            Captures(syntax.Captures));

        private int Symbol(string type)
        {
            if (type == "_")
            {
                return WildcardSymbol;
            }

            var bytes = Encoding.UTF8.GetBytes(type);
            fixed (byte* p = bytes)
            {
                var symbol = TsNative.ts_language_symbol_for_name(language, p, (uint)bytes.Length, isNamed: true);
                return symbol != 0 ? symbol : throw new InvalidOperationException($"extraction query: unknown node type '{type}'.");
            }
        }

        private ushort Field(string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            fixed (byte* p = bytes)
            {
                var field = TsNative.ts_language_field_id_for_name(language, p, (uint)bytes.Length);
                return field != 0 ? field : throw new InvalidOperationException($"extraction query: unknown field '{name}'.");
            }
        }

        private uint[] Captures(IReadOnlyList<string> names) =>
            [.. names.Select(n => captureIds.TryGetValue(n, out var id) ? id : throw new InvalidOperationException($"extraction query: unknown capture '@{n}'."))];
    }

    /// <summary>The captures of the match being built and the handler; backtracks by truncating the capture list.</summary>
    private sealed class MatchState(MatchHandler onMatch, TsTreeCursor* cursor)
    {
        private TsQueryCapture[] _captures = new TsQueryCapture[16];
        private int _count;
        private int _pattern;

        /// <summary>Every pattern that starts at <paramref name="node"/>'s type, in order; the node's children are read once for all.</summary>
        public void MatchRoot(TsNode node, CompiledPattern[] patterns)
        {
            CgrChild[]? children = null;
            var count = 0;
            try
            {
                foreach (var pattern in patterns)
                {
                    _pattern = pattern.Index;
                    if (pattern.Root.NeedsChildren && children is null)
                    {
                        children = ArrayPool<CgrChild>.Shared.Rent(16);
                        count = ReadChildren(node, ref children);
                    }

                    MatchNode(node, pattern.Root, children ?? [], count, null);
                }
            }
            finally
            {
                if (children is not null)
                {
                    ArrayPool<CgrChild>.Shared.Return(children);
                }
            }
        }

        /// <summary>Matches <paramref name="pattern"/> at a child node (type already checked), then continues.</summary>
        private void MatchNode(TsNode node, NodePattern pattern, Continuation then)
        {
            var children = ArrayPool<CgrChild>.Shared.Rent(16);
            try
            {
                var count = ReadChildren(node, ref children);
                MatchNode(node, pattern, children, count, then);
            }
            finally
            {
                ArrayPool<CgrChild>.Shared.Return(children);
            }
        }

        /// <summary>Matches <paramref name="pattern"/> at <paramref name="node"/> whose children are given (when the pattern needs them).</summary>
        private void MatchNode(TsNode node, NodePattern pattern, CgrChild[] children, int count, Continuation? then)
        {
            var mark = _count;
            foreach (var capture in pattern.Captures)
            {
                Push(node, capture);
            }

            if (!pattern.NeedsChildren)
            {
                Continue(then);
            }
            else if (!HasNegatedField(children, count, pattern.NegatedFields))
            {
                MatchItems(children, count, pattern, 0, 0, then);
            }

            _count = mark;
        }

        private void MatchItems(CgrChild[] children, int count, NodePattern parent, int itemIndex, int from, Continuation? then)
        {
            if (itemIndex == parent.Items.Length)
            {
                Continue(then);
                return;
            }

            var item = parent.Items[itemIndex];
            var end = count;
            if (item.Anchored)
            {
                // CGR: '. pattern' as the first item: only the first named child may match.
                from = 0;
                while (from < count && children[from].Named == 0)
                {
                    from++;
                }

                end = Math.Min(count, from + 1);
            }

            for (var c = from; c < end; c++)
            {
                ref readonly var child = ref children[c];
                if (item.Field != 0 && child.Field != item.Field)
                {
                    continue;
                }

                foreach (var alternative in item.Alternatives)
                {
                    if (alternative.Symbol == WildcardSymbol ? child.Named == 0 : child.Symbol != alternative.Symbol)
                    {
                        continue;
                    }

                    var mark = _count;
                    foreach (var capture in item.Captures)
                    {
                        Push(child.Node, capture);
                    }

                    if (alternative.NeedsChildren)
                    {
                        MatchNode(child.Node, alternative, new Continuation(children, count, parent, itemIndex + 1, c + 1, then));
                    }
                    else
                    {
                        // CGR: a leaf pattern (most items): its captures, then straight on with the parent's next item.
                        foreach (var capture in alternative.Captures)
                        {
                            Push(child.Node, capture);
                        }

                        MatchItems(children, count, parent, itemIndex + 1, c + 1, then);
                    }

                    _count = mark;
                }
            }
        }

        private void Continue(Continuation? then)
        {
            if (then is null)
            {
                onMatch(_pattern, _captures.AsSpan(0, _count));
            }
            else
            {
                MatchItems(then.Children, then.Count, then.Parent, then.NextItem, then.From, then.Outer);
            }
        }

        private void Push(TsNode node, uint capture)
        {
            if (_count == _captures.Length)
            {
                Array.Resize(ref _captures, _count * 2);
            }

            _captures[_count++] = new TsQueryCapture { Node = node, Index = capture };
        }

        private int ReadChildren(TsNode node, ref CgrChild[] children)
        {
            while (true)
            {
                uint count;
                fixed (CgrChild* output = children)
                {
                    count = TsNative.cgr_children(cursor, node, output, (uint)children.Length);
                }

                if (count <= children.Length)
                {
                    return (int)count;
                }

                ArrayPool<CgrChild>.Shared.Return(children);
                children = ArrayPool<CgrChild>.Shared.Rent((int)count);
            }
        }

        private static bool HasNegatedField(CgrChild[] children, int count, ushort[] negated)
        {
            foreach (var field in negated)
            {
                for (var i = 0; i < count; i++)
                {
                    if (children[i].Field == field)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
