using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Chunking;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymbolInfo = CodeGraphRag.Abstractions.Parsing.SymbolInfo;
using SymbolKind = CodeGraphRag.Abstractions.Parsing.SymbolKind;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>One pre-order walk over a C# syntax tree that collects declarations and references.</summary>
/// <remarks>
/// The walk is iterative (an explicit stack) so deeply nested expressions cannot overflow the thread's stack, and the
/// enclosing symbol of a node is tracked by position: a scope ends where its declaration's span ends.
/// </remarks>
internal sealed partial class CSharpFactsCollector(SourceLines lines, CancellationToken cancellationToken)
{
    private readonly Stack<Scope> _scopes = new([new Scope(null, int.MaxValue)]);
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private Dictionary<SyntaxNode, string>? _pendingDeclarators;

    public List<SymbolInfo> Symbols { get; } = [];

    public List<CallReference> Calls { get; } = [];

    public List<ImportInfo> Imports { get; } = [];

    public List<InheritanceInfo> Inheritance { get; } = [];

    private string? CurrentName => _scopes.Peek().QualifiedName;

    public void Walk(SyntaxNode root)
    {
        var stack = new Stack<SyntaxNode>();
        var children = new List<SyntaxNode>();
        stack.Push(root);
        var visited = 0;
        while (stack.TryPop(out var node))
        {
            if ((++visited & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // The full start is cheap, unlike SpanStart, and no descendant of a scope starts at or after its span's end.
            while (_scopes.Count > 1 && node.FullSpan.Start >= _scopes.Peek().End)
            {
                _scopes.Pop();
            }

            if (CSharpNodeFilter.IsVisited(node.RawKind) && !Visit(node))
            {
                continue;
            }

            // CGR: children are realised in source order and pushed in reverse. Realising them backwards (ChildSyntaxList.Reverse)
            // makes Roslyn sum the widths of every earlier sibling for each one: quadratic on a class with 10k members.
            children.Clear();
            foreach (var child in node.ChildNodesAndTokens())
            {
                if (child.AsNode() is { } childNode && !CSharpNodeFilter.IsSkipped(childNode.RawKind))
                {
                    children.Add(childNode);
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Records what <paramref name="node"/> declares or references; returns whether to walk its children.</summary>
    private bool Visit(SyntaxNode node)
    {
        switch (node)
        {
            case BaseNamespaceDeclarationSyntax ns:
                VisitNamespace(ns);
                return true;
            case BaseTypeDeclarationSyntax type when type.IsKind(SyntaxKind.ExtensionBlockDeclaration):
                // CGR: C# 14 extension blocks are not types of their own; their members belong to the enclosing static class.
                return true;
            case BaseTypeDeclarationSyntax type:
                VisitType(type);
                return true;
            case DelegateDeclarationSyntax del:
                Declare(del, del.Identifier.ValueText, SymbolKind.TypeAlias, CSharpSignatures.Of(del), pushScope: false);
                return false;
            case BaseMethodDeclarationSyntax method:
                Declare(method, MethodName(method), method is ConstructorDeclarationSyntax ? SymbolKind.Constructor : SymbolKind.Method, CSharpSignatures.Of(method));
                return true;
            case BasePropertyDeclarationSyntax property:
                Declare(property, PropertyName(property), SymbolKind.Property, CSharpSignatures.Of(property));
                return true;
            case BaseFieldDeclarationSyntax field:
                VisitField(field);
                return true;
            case VariableDeclaratorSyntax declarator when _pendingDeclarators is not null && _pendingDeclarators.Remove(declarator, out var fieldName):
                _scopes.Push(new Scope(fieldName, declarator.Span.End));
                return true;
            case LocalFunctionStatementSyntax local:
                Declare(local, local.Identifier.ValueText, SymbolKind.Function, CSharpSignatures.Of(local));
                return true;
            case UsingDirectiveSyntax usingDirective:
                VisitUsing(usingDirective);
                return false;
            case AttributeListSyntax or EnumMemberDeclarationSyntax:
                return false;
            case InvocationExpressionSyntax invocation:
                VisitInvocation(invocation);
                return true;
            case ObjectCreationExpressionSyntax creation:
                VisitObjectCreation(creation);
                return true;
            default:
                return true;
        }
    }

    private void VisitNamespace(BaseNamespaceDeclarationSyntax ns)
    {
        var name = CSharpSignatures.NameText(ns.Name);
        var parent = CurrentName;
        var qualified = parent is null ? name : $"{parent}.{name}";

        // CGR: a namespace declared twice in one file is one namespace; only its first block becomes a symbol.
        if (_namespaces.Add(qualified))
        {
            Symbols.Add(new SymbolInfo(qualified, name, SymbolKind.Namespace, StartLine(ns), EndLine(ns), parent, $"namespace {name}"));
        }

        _scopes.Push(new Scope(qualified, ns.Span.End));
    }

    private void VisitType(BaseTypeDeclarationSyntax type)
    {
        var kind = type.Kind() switch
        {
            SyntaxKind.InterfaceDeclaration => SymbolKind.Interface,
            SyntaxKind.StructDeclaration => SymbolKind.Struct,
            SyntaxKind.RecordDeclaration or SyntaxKind.RecordStructDeclaration => SymbolKind.Record,
            SyntaxKind.EnumDeclaration => SymbolKind.Enum,
            _ => SymbolKind.Class,
        };
        var qualified = Declare(type, type.Identifier.ValueText, kind, CSharpSignatures.Of(type));
        if (type.BaseList is null || kind == SymbolKind.Enum)
        {
            return;
        }

        foreach (var baseType in type.BaseList.Types)
        {
            if (CSharpSignatures.SimpleName(baseType.Type) is { Length: > 0 } baseName)
            {
                Inheritance.Add(new InheritanceInfo(qualified, baseName, lines.LineOf(baseType.SpanStart)));
            }
        }
    }

    private void VisitField(BaseFieldDeclarationSyntax field)
    {
        foreach (var variable in field.Declaration.Variables)
        {
            var name = variable.Identifier.ValueText;
            var qualified = Declare(field, name, SymbolKind.Field, CSharpSignatures.Of(field, variable), pushScope: false);
            if (variable.Initializer is not null)
            {
                (_pendingDeclarators ??= [])[variable] = qualified;
            }
        }
    }

    private void VisitUsing(UsingDirectiveSyntax directive)
    {
        var module = CSharpSignatures.NameText(directive.NamespaceOrType);
        Imports.Add(new ImportInfo(module, [], directive.Alias?.Name.Identifier.ValueText, StartLine(directive)));
    }

    private string Declare(SyntaxNode node, string name, SymbolKind kind, string signature, bool pushScope = true)
    {
        var parent = CurrentName;
        var candidate = parent is null ? name : $"{parent}.{name}";
        var occurrence = CollectionsMarshalExtensions.Increment(_occurrences, candidate);
        var qualified = occurrence == 1 ? candidate : $"{candidate}`{occurrence}";
        Symbols.Add(new SymbolInfo(qualified, name, kind, StartLine(node), EndLine(node), parent, signature));
        if (pushScope)
        {
            _scopes.Push(new Scope(qualified, node.Span.End));
        }

        return qualified;
    }

    private static string MethodName(BaseMethodDeclarationSyntax method) => method switch
    {
        MethodDeclarationSyntax m => m.Identifier.ValueText,
        ConstructorDeclarationSyntax c => c.Identifier.ValueText,
        DestructorDeclarationSyntax d => "~" + d.Identifier.ValueText,
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => $"{c.ImplicitOrExplicitKeyword.Text} operator {CSharpSignatures.NameText(c.Type)}",
        _ => method.Kind().ToString(),
    };

    private static string PropertyName(BasePropertyDeclarationSyntax property) => property switch
    {
        PropertyDeclarationSyntax p => p.Identifier.ValueText,
        EventDeclarationSyntax e => e.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        _ => property.Kind().ToString(),
    };

    private int StartLine(SyntaxNode node) => lines.LineOf(node.SpanStart);

    private int EndLine(SyntaxNode node) => lines.LineOf(Math.Max(node.SpanStart, node.Span.End - 1));

    private readonly record struct Scope(string? QualifiedName, int End);
}
