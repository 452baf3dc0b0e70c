using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>Turns the pattern matches of one parsed file into <see cref="SyntaxFacts"/>.</summary>
/// <remarks>Single use, single thread. Nesting is computed from byte ranges, never by recursion, so deep trees are safe.</remarks>
internal sealed unsafe class FileExtraction(LanguageRuntime runtime, TsDocument doc, string path)
{
    private readonly LanguageRules _rules = runtime.Rules;
    private readonly List<Def> _defs = [];
    private readonly List<RawCall> _calls = [];
    private readonly List<Located> _bases = [];
    private readonly List<ImportInfo> _imports = [];
    private readonly HashSet<(nint, int)> _seenDefs = [];
    private string? _package;

    /// <summary>Extracts the facts; <paramref name="queryCursor"/> (tests only) runs tree-sitter's query cursor instead of the matcher.</summary>
    public SyntaxFacts Run(TsNode root, nint queryCursor, CancellationToken cancellationToken)
    {
        var errors = TsDocument.CountErrors(root);
        if (queryCursor != 0)
        {
            CollectWithQueryCursor(root, queryCursor, cancellationToken);
        }
        else
        {
            runtime.Matcher.Run(root, OnMatch, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();

        var symbols = BuildSymbols();
        var calls = BuildCalls();
        var inheritance = BuildInheritance();
        var imports = _imports.Distinct(ImportComparer.Instance).ToList();
        return new SyntaxFacts(symbols, calls, imports, inheritance, errors);
    }

    private void CollectWithQueryCursor(TsNode root, nint cursor, CancellationToken cancellationToken)
    {
        TsNative.ts_query_cursor_exec(cursor, runtime.Query, root);
        var n = 0;
        while (TsNative.ts_query_cursor_next_match(cursor, out var match))
        {
            if ((++n & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            OnMatch(match.PatternIndex, new ReadOnlySpan<TsQueryCapture>(match.Captures, match.CaptureCount));
        }
    }

    private void OnMatch(int patternIndex, ReadOnlySpan<TsQueryCapture> captures)
    {
        var roles = runtime.Captures;
        TsNode def = default, name = default, receiver = default, call = default, callName = default, callQual = default;
        TsNode import = default, baseNode = default, package = default;
        var kind = DefKind.None;
        foreach (var capture in captures)
        {
            var info = roles[capture.Index];
            switch (info.Role)
            {
                case CaptureRole.Definition: def = capture.Node; kind = info.Kind; break;
                case CaptureRole.Name: name = capture.Node; break;
                case CaptureRole.Receiver: receiver = capture.Node; break;
                case CaptureRole.Call: call = capture.Node; break;
                case CaptureRole.CallName: callName = capture.Node; break;
                case CaptureRole.CallQualifier: callQual = capture.Node; break;
                case CaptureRole.Import: import = capture.Node; break;
                case CaptureRole.Base: baseNode = capture.Node; break;
                case CaptureRole.Package: package = capture.Node; break;
                default: break;
            }
        }

        if (!def.IsNull && !name.IsNull)
        {
            AddDef(def, kind, name, receiver);
        }
        else if (!call.IsNull && !callName.IsNull)
        {
            _calls.Add(new RawCall(call, callName, callQual, TsDocument.StartByte(call), TsDocument.EndByte(call)));
        }
        else if (!import.IsNull)
        {
            _rules.AddImports(doc, import, _imports);
        }
        else if (!baseNode.IsNull)
        {
            _bases.Add(new Located(baseNode, TsDocument.StartByte(baseNode), TsDocument.EndByte(baseNode)));
        }
        else if (!package.IsNull)
        {
            _package ??= doc.Text(package).Trim();
        }
    }

    private void AddDef(TsNode node, DefKind kind, TsNode nameNode, TsNode receiver)
    {
        if (!_seenDefs.Add((node.Id, TsDocument.StartByte(nameNode))))
        {
            return;
        }

        var written = _rules.DeclaredName(doc, nameNode);
        var parts = _rules.SplitPath(written);
        if (parts.Length == 0)
        {
            return;
        }

        _defs.Add(new Def
        {
            Node = node,
            Start = TsDocument.StartByte(node),
            End = TsDocument.EndByte(node),
            Captured = kind,
            Name = parts[^1],
            Owner = receiver.IsNull ? parts[..^1] : [.. _rules.SplitPath(doc.Text(receiver)), .. parts[..^1]],
        });
    }

    private List<SymbolInfo> BuildSymbols()
    {
        _defs.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.End != b.End ? b.End.CompareTo(a.End)
            : string.CompareOrdinal(a.Name, b.Name));
        var prefix = _rules.ModulePrefix(path, _package);
        var stack = new Stack<Def>();
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var byName = new Dictionary<string, Def>(StringComparer.Ordinal);
        foreach (var d in _defs)
        {
            while (stack.Count > 0 && !Contains(stack.Peek(), d))
            {
                stack.Pop();
            }

            d.Parent = stack.Count > 0 ? stack.Peek() : null;
            stack.Push(d);

            var emittedParent = d.Parent;
            while (emittedParent is { Kind: null })
            {
                emittedParent = emittedParent.Parent;
            }

            var baseName = d.Parent?.QualifiedName ?? prefix;
            var owner = d.Owner.Length == 0 ? string.Empty : string.Join('.', d.Owner);
            if (owner.Length > 0)
            {
                baseName = baseName.Length == 0 ? owner : baseName + "." + owner;
            }

            // Members of an owner named elsewhere (Go receiver, Rust impl block, C++ out-of-line definition) are members of a type.
            var parentKind = d.Owner.Length > 0 || d.Parent is { Kind: null } ? SymbolKind.Class : emittedParent?.Kind;
            d.Kind = _rules.ResolveKind(doc, d.Captured, d.Name, d.Node, parentKind);
            var qn = baseName.Length == 0 ? d.Name : baseName + "." + d.Name;
            if (d.Kind is not null)
            {
                // CGR: overloads (and redefinitions) stay unique within the file: Foo, Foo`2, Foo`3.
                var count = used.GetValueOrDefault(qn) + 1;
                used[qn] = count;
                if (count > 1)
                {
                    qn += "`" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                byName.TryAdd(qn, d);
            }

            d.QualifiedName = qn;
            d.OwnerName = owner.Length > 0 ? baseName : null;
            d.EmittedParent = emittedParent;
        }

        var symbols = new List<SymbolInfo>(_defs.Count);
        foreach (var d in _defs)
        {
            if (d.Kind is not { } kind)
            {
                continue;
            }

            // Go methods and Rust impl members name their owner; link it when the owner is declared in this file.
            var parent = d.EmittedParent?.QualifiedName;
            var ownerName = d.Parent is { Kind: null } scope ? scope.QualifiedName : d.OwnerName;
            if (ownerName is not null && byName.TryGetValue(ownerName, out var owner) && owner.Kind is not null)
            {
                parent = ownerName;
            }

            var span = _rules.SpanNode(d.Node);
            symbols.Add(new SymbolInfo(
                d.QualifiedName,
                d.Name,
                kind,
                _rules.StartLine(d.Node),
                Math.Max(TsDocument.EndLine(span), TsDocument.EndLine(d.Node)),
                parent,
                _rules.Signature(doc, d.Node)));
        }

        return symbols;
    }

    private List<CallReference> BuildCalls()
    {
        // CGR: a total order (calls sharing a start in evaluation order: the inner one first, then by name position), so the
        // facts do not depend on the order in which matches arrive.
        _calls.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.End != b.End ? a.End.CompareTo(b.End)
            : TsDocument.StartByte(a.Name).CompareTo(TsDocument.StartByte(b.Name)));
        var result = new List<CallReference>(_calls.Count);
        var seen = new HashSet<CallReference>();
        var stack = new Stack<Def>();
        var next = 0;
        foreach (var c in _calls)
        {
            var innermost = Innermost(stack, ref next, c.Start, c.End);
            while (innermost is { Kind: null })
            {
                innermost = innermost.Parent;
            }

            var name = doc.Text(c.Name);
            var parts = _rules.SplitPath(name);
            string? qualifier = c.Qualifier.IsNull ? null : doc.OneLine(c.Qualifier, 200);
            if (parts.Length > 1)
            {
                name = parts[^1];
                qualifier ??= string.Join('.', parts[..^1]);
            }

            if (name.Length == 0 || !_rules.NormalizeCall(doc, c.Call, ref name, ref qualifier))
            {
                continue;
            }

            var reference = new CallReference(innermost?.QualifiedName ?? string.Empty, name, qualifier, TsDocument.StartLine(c.Name));
            if (seen.Add(reference))
            {
                result.Add(reference);
            }
        }

        return result;
    }

    private List<InheritanceInfo> BuildInheritance()
    {
        _bases.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var result = new List<InheritanceInfo>(_bases.Count);
        var seen = new HashSet<InheritanceInfo>();
        var stack = new Stack<Def>();
        var next = 0;
        foreach (var b in _bases)
        {
            var owner = Innermost(stack, ref next, b.Start, b.End);
            if (owner is null)
            {
                continue;
            }

            var name = _rules.SimpleName(doc.OneLine(b.Start, b.End, 200));
            var info = new InheritanceInfo(owner.QualifiedName, name, TsDocument.StartLine(b.Node));
            if (name.Length > 0 && seen.Add(info))
            {
                result.Add(info);
            }
        }

        return result;
    }

    /// <summary>Sweeps the sorted definitions forward to <paramref name="start"/> and returns the innermost one containing the range.</summary>
    private Def? Innermost(Stack<Def> stack, ref int next, int start, int end)
    {
        while (next < _defs.Count && _defs[next].Start <= start)
        {
            var d = _defs[next++];
            while (stack.Count > 0 && !Contains(stack.Peek(), d))
            {
                stack.Pop();
            }

            stack.Push(d);
        }

        while (stack.Count > 0 && !(stack.Peek().Start <= start && end <= stack.Peek().End))
        {
            stack.Pop();
        }

        return stack.Count > 0 ? stack.Peek() : null;
    }

    private static bool Contains(Def outer, Def inner) =>
        outer.Start <= inner.Start && inner.End <= outer.End && (outer.Start != inner.Start || outer.End != inner.End);

    private sealed class Def
    {
        public TsNode Node;
        public int Start;
        public int End;
        public DefKind Captured;
        public string Name = string.Empty;
        public string[] Owner = [];
        public string? OwnerName;
        public Def? Parent;
        public Def? EmittedParent;
        public SymbolKind? Kind;
        public string QualifiedName = string.Empty;
    }

    /// <summary>A call's nodes with the call's byte range, read once (sorting would otherwise ask the native tree per comparison).</summary>
    private readonly record struct RawCall(TsNode Call, TsNode Name, TsNode Qualifier, int Start, int End);

    private readonly record struct Located(TsNode Node, int Start, int End);

    private sealed class ImportComparer : IEqualityComparer<ImportInfo>
    {
        public static ImportComparer Instance { get; } = new();

        public bool Equals(ImportInfo? x, ImportInfo? y) =>
            x is not null && y is not null && x.Module == y.Module && x.Alias == y.Alias && x.Line == y.Line
            && x.Names.SequenceEqual(y.Names);

        public int GetHashCode(ImportInfo obj) => HashCode.Combine(obj.Module, obj.Alias, obj.Line, obj.Names.Count);
    }
}
