using System.Buffers;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>One-line declaration headers and names, built from tokens so comments and line breaks collapse to single spaces.</summary>
internal static class CSharpSignatures
{
    private const int MaxSignatureLength = 400;

    // Printable ASCII and ASCII whitespace, except what can start a comment, a directive, a string or an escape.
    private static readonly SearchValues<char> PlainHeaderChars = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not ('/' or '#' or '"' or '\'' or '\\'))) + "\t\n\r\v\f");

    [ThreadStatic]
    private static char[]? t_headerBuffer;

    public static string Of(BaseTypeDeclarationSyntax type)
    {
        var end = type.OpenBraceToken.IsKind(SyntaxKind.None) || type.OpenBraceToken.IsMissing
            ? type.Span.End
            : type.OpenBraceToken.SpanStart;
        return Header(type, AfterAttributes(type, type.AttributeLists), end);
    }

    public static string Of(DelegateDeclarationSyntax declaration) =>
        Header(declaration, AfterAttributes(declaration, declaration.AttributeLists), declaration.SemicolonToken.SpanStart);

    public static string Of(BaseMethodDeclarationSyntax method) =>
        Header(method, AfterAttributes(method, method.AttributeLists), BodyStart(method.Body, method.ExpressionBody, method.Span.End));

    public static string Of(LocalFunctionStatementSyntax local) =>
        Header(local, AfterAttributes(local, local.AttributeLists), BodyStart(local.Body, local.ExpressionBody, local.Span.End));

    public static string Of(BasePropertyDeclarationSyntax property)
    {
        int end;
        if (property.AccessorList is { } accessors)
        {
            // Auto-properties keep their accessor list ({ get; init; }): it is part of what the declaration says.
            var auto = accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
            end = auto ? accessors.Span.End : accessors.SpanStart;
        }
        else
        {
            end = property switch
            {
                PropertyDeclarationSyntax { ExpressionBody: { } body } => body.SpanStart,
                IndexerDeclarationSyntax { ExpressionBody: { } body } => body.SpanStart,
                _ => property.Span.End,
            };
        }

        return Header(property, AfterAttributes(property, property.AttributeLists), end);
    }

    public static string Of(BaseFieldDeclarationSyntax field, VariableDeclaratorSyntax variable)
    {
        var header = Header(field, AfterAttributes(field, field.AttributeLists), field.Declaration.Variables[0].SpanStart);
        return header.Length == 0 ? variable.Identifier.ValueText : $"{header} {variable.Identifier.ValueText}";
    }

    /// <summary>A name or type as written, without whitespace, comments or <c>global::</c>.</summary>
    public static string NameText(SyntaxNode name)
    {
        var builder = new StringBuilder();
        foreach (var token in name.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.GlobalKeyword) && token.GetNextToken().IsKind(SyntaxKind.ColonColonToken))
            {
                continue;
            }

            if (token.IsKind(SyntaxKind.ColonColonToken) && token.GetPreviousToken().IsKind(SyntaxKind.GlobalKeyword))
            {
                continue;
            }

            builder.Append(token.Text);
            if (token.IsKind(SyntaxKind.CommaToken))
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    /// <summary>The simple name of a base type without namespace or generic arguments (<c>Repository</c> for <c>Data.Repository&lt;T&gt;</c>).</summary>
    public static string? SimpleName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Appends the node's tokens with single spaces where the source had trivia, up to about <paramref name="max"/> characters.</summary>
    public static void AppendCollapsed(StringBuilder builder, SyntaxNode node, int max)
    {
        var first = true;
        foreach (var token in node.DescendantTokens())
        {
            if (!first && token.HasLeadingTrivia)
            {
                builder.Append(' ');
            }

            builder.Append(token.Text);
            if (token.HasTrailingTrivia)
            {
                builder.Append(' ');
            }

            first = false;
            if (builder.Length > max)
            {
                break;
            }
        }

        while (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
        }
    }

    /// <summary>Where the header starts: after the attribute lists, which the span includes but the signature leaves out.</summary>
    private static int AfterAttributes(SyntaxNode node, SyntaxList<AttributeListSyntax> attributes) =>
        attributes.Count > 0 ? attributes[^1].Span.End : node.SpanStart;

    private static int BodyStart(BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, int end) =>
        body?.SpanStart ?? expressionBody?.SpanStart ?? end;

    private static string Header(SyntaxNode node, int start, int end)
    {
        if (end <= start)
        {
            return string.Empty;
        }

        return HeaderFromText(node.SyntaxTree.GetText(), start, end) ?? HeaderFromTokens(node, start, end);
    }

    /// <summary>
    /// The header straight from the source text when its trivia can only be whitespace (plain ASCII with no comment,
    /// directive, quote or escape in it, so collapsing whitespace runs gives what joining the tokens does) and it is
    /// short; null otherwise.
    /// </summary>
    /// <remarks>CGR: most declarations; walking their tokens realised the header's syntax nodes for nothing.</remarks>
    internal static string? HeaderFromText(SourceText text, int start, int end)
    {
        if (end - start > MaxSignatureLength)
        {
            return null;
        }

        var buffer = t_headerBuffer ??= new char[MaxSignatureLength];
        text.CopyTo(start, buffer, 0, end - start);
        var raw = buffer.AsSpan(0, end - start);
        if (raw.IndexOfAnyExcept(PlainHeaderChars) >= 0)
        {
            return null;
        }

        // CGR: as the token path, a semicolon is dropped only when the header ends right after it.
        if (raw.EndsWith(';'))
        {
            raw = raw[..^1];
        }

        raw = raw.Trim();

        // Whitespace runs collapse to one space, in place: the write position never passes the read position.
        var length = 0;
        var space = false;
        foreach (var c in raw)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                raw[length++] = ' ';
                space = false;
            }

            raw[length++] = c;
        }

        return new string(raw[..length]);
    }

    internal static string HeaderFromTokens(SyntaxNode node, int start, int end)
    {
        var builder = new StringBuilder(64);
        var space = false;
        if (end <= start)
        {
            return string.Empty;
        }

        // DescendantTokens over a span walks the subtree once; GetNextToken would climb the tree for every token.
        foreach (var token in node.DescendantTokens(TextSpan.FromBounds(start, end)))
        {
            if (token.SpanStart < start || token.Span.IsEmpty || (token.IsKind(SyntaxKind.SemicolonToken) && token.Span.End >= end))
            {
                continue;
            }

            if (token.SpanStart >= end)
            {
                break;
            }

            if (builder.Length > 0 && (space || token.HasLeadingTrivia))
            {
                builder.Append(' ');
            }

            builder.Append(token.Text);
            space = token.HasTrailingTrivia;
            if (builder.Length > MaxSignatureLength)
            {
                builder.Append(" ...");
                break;
            }
        }

        return builder.ToString();
    }
}
