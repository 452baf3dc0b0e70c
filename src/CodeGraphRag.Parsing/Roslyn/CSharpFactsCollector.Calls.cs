using System.Text;
using CodeGraphRag.Abstractions.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>Call sites: invocations and explicit object creations, stored late-bound by name and receiver text.</summary>
internal sealed partial class CSharpFactsCollector
{
    private const int MaxQualifierLength = 200;
    private const int MaxQualifierDepth = 32;

    private readonly StringBuilder _qualifier = new();

    private void VisitInvocation(InvocationExpressionSyntax invocation)
    {
        SyntaxToken name;
        ExpressionSyntax? receiver = null;
        switch (invocation.Expression)
        {
            case IdentifierNameSyntax identifier:
                // CGR: nameof(x) parses as an invocation unless a method named nameof is in scope; treat it as the operator.
                if (identifier.Identifier.ValueText == "nameof")
                {
                    return;
                }

                name = identifier.Identifier;
                break;
            case GenericNameSyntax generic:
                name = generic.Identifier;
                break;
            case MemberAccessExpressionSyntax member:
                name = member.Name.Identifier;
                receiver = member.Expression;
                break;
            case MemberBindingExpressionSyntax binding:
                name = binding.Name.Identifier;
                receiver = ConditionalReceiver(binding);
                break;
            default:
                return;
        }

        AddCall(name.ValueText, receiver is null ? null : Qualifier(receiver), name.SpanStart);
    }

    private void VisitObjectCreation(ObjectCreationExpressionSyntax creation)
    {
        switch (creation.Type)
        {
            case SimpleNameSyntax simple:
                AddCall(simple.Identifier.ValueText, null, creation.SpanStart);
                break;
            case QualifiedNameSyntax qualified:
                AddCall(qualified.Right.Identifier.ValueText, Qualifier(qualified.Left), creation.SpanStart);
                break;
            case AliasQualifiedNameSyntax alias:
                AddCall(alias.Name.Identifier.ValueText, null, creation.SpanStart);
                break;
            default:
                // Predefined types (new object()) and malformed types are not calls worth resolving.
                break;
        }
    }

    private void AddCall(string name, string? qualifier, int position)
    {
        if (name.Length > 0)
        {
            Calls.Add(new CallReference(CurrentName ?? string.Empty, name, qualifier, lines.LineOf(position)));
        }
    }

    /// <summary>The receiver of <c>a?.Foo()</c>: the expression of the nearest conditional access that binds <paramref name="binding"/>.</summary>
    private static ExpressionSyntax? ConditionalReceiver(MemberBindingExpressionSyntax binding)
    {
        for (var node = binding.Parent; node is not null; node = node.Parent)
        {
            if (node is ConditionalAccessExpressionSyntax access && access.WhenNotNull.Span.Contains(binding.Span))
            {
                return access.Expression;
            }
        }

        return null;
    }

    /// <summary>
    /// The receiver as written, normalised for name resolution: <c>?.</c> and <c>!.</c> read as <c>.</c>, argument lists
    /// and indexes as <c>()</c> and <c>[]</c>, generic arguments and <c>global::</c> dropped.
    /// </summary>
    private string? Qualifier(ExpressionSyntax receiver)
    {
        _qualifier.Clear();
        AppendQualifier(receiver, 0);
        if (_qualifier.Length == 0)
        {
            return null;
        }

        return _qualifier.Length > MaxQualifierLength ? _qualifier.ToString(0, MaxQualifierLength) : _qualifier.ToString();
    }

    private void AppendQualifier(ExpressionSyntax expression, int depth)
    {
        if (depth > MaxQualifierDepth || _qualifier.Length > MaxQualifierLength)
        {
            _qualifier.Append("...");
            return;
        }

        switch (expression)
        {
            case SimpleNameSyntax simple:
                _qualifier.Append(simple.Identifier.ValueText);
                break;
            case MemberAccessExpressionSyntax member:
                AppendQualifier(member.Expression, depth + 1);
                _qualifier.Append('.').Append(member.Name.Identifier.ValueText);
                break;
            case QualifiedNameSyntax qualified:
                AppendQualifier(qualified.Left, depth + 1);
                _qualifier.Append('.').Append(qualified.Right.Identifier.ValueText);
                break;
            case AliasQualifiedNameSyntax alias:
                if (!alias.Alias.Identifier.IsKind(SyntaxKind.GlobalKeyword))
                {
                    _qualifier.Append(alias.Alias.Identifier.ValueText).Append("::");
                }

                _qualifier.Append(alias.Name.Identifier.ValueText);
                break;
            case MemberBindingExpressionSyntax binding:
                if (ConditionalReceiver(binding) is { } receiver)
                {
                    AppendQualifier(receiver, depth + 1);
                    _qualifier.Append('.');
                }

                _qualifier.Append(binding.Name.Identifier.ValueText);
                break;
            case ConditionalAccessExpressionSyntax access:
                AppendQualifier(access.WhenNotNull, depth + 1);
                break;
            case InvocationExpressionSyntax invocation:
                AppendQualifier(invocation.Expression, depth + 1);
                _qualifier.Append("()");
                break;
            case ElementAccessExpressionSyntax element:
                AppendQualifier(element.Expression, depth + 1);
                _qualifier.Append("[]");
                break;
            case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                AppendQualifier(postfix.Operand, depth + 1);
                break;
            case ThisExpressionSyntax:
                _qualifier.Append("this");
                break;
            case BaseExpressionSyntax:
                _qualifier.Append("base");
                break;
            case PredefinedTypeSyntax predefined:
                _qualifier.Append(predefined.Keyword.Text);
                break;
            default:
                CSharpSignatures.AppendCollapsed(_qualifier, expression, MaxQualifierLength);
                break;
        }
    }
}
