using Microsoft.CodeAnalysis.CSharp;

namespace CodeGraphRag.Parsing.Roslyn;

/// <summary>Which node kinds the walk looks at, and which subtrees it can skip, as lookup tables indexed by raw kind.</summary>
/// <remarks>CGR: most nodes of a tree are names, literals and types; testing their kind in a table instead of a chain of type checks keeps the walk near the speed of the parse.</remarks>
internal static class CSharpNodeFilter
{
    private static readonly bool[] Visited = Table(
        SyntaxKind.NamespaceDeclaration, SyntaxKind.FileScopedNamespaceDeclaration,
        SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration, SyntaxKind.InterfaceDeclaration, SyntaxKind.RecordDeclaration,
        SyntaxKind.RecordStructDeclaration, SyntaxKind.EnumDeclaration, SyntaxKind.ExtensionBlockDeclaration, SyntaxKind.DelegateDeclaration,
        SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration, SyntaxKind.DestructorDeclaration, SyntaxKind.OperatorDeclaration,
        SyntaxKind.ConversionOperatorDeclaration, SyntaxKind.PropertyDeclaration, SyntaxKind.IndexerDeclaration, SyntaxKind.EventDeclaration,
        SyntaxKind.FieldDeclaration, SyntaxKind.EventFieldDeclaration, SyntaxKind.VariableDeclarator, SyntaxKind.LocalFunctionStatement,
        SyntaxKind.UsingDirective, SyntaxKind.AttributeList, SyntaxKind.EnumMemberDeclaration,
        SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression);

    // Subtrees that hold no declaration and no call: names, types, literals, parameter and type-parameter lists.
    private static readonly bool[] Skipped = Table(
        SyntaxKind.IdentifierName, SyntaxKind.GenericName, SyntaxKind.QualifiedName, SyntaxKind.AliasQualifiedName,
        SyntaxKind.PredefinedType, SyntaxKind.NullableType, SyntaxKind.PointerType, SyntaxKind.TypeArgumentList,
        SyntaxKind.TypeParameterList, SyntaxKind.TypeParameterConstraintClause, SyntaxKind.ParameterList, SyntaxKind.BracketedParameterList,
        SyntaxKind.NumericLiteralExpression, SyntaxKind.StringLiteralExpression, SyntaxKind.CharacterLiteralExpression,
        SyntaxKind.TrueLiteralExpression, SyntaxKind.FalseLiteralExpression, SyntaxKind.NullLiteralExpression, SyntaxKind.DefaultLiteralExpression,
        SyntaxKind.ThisExpression, SyntaxKind.BaseExpression, SyntaxKind.AttributeList);

    public static bool IsVisited(int rawKind) => (uint)rawKind < (uint)Visited.Length && Visited[rawKind];

    public static bool IsSkipped(int rawKind) => (uint)rawKind < (uint)Skipped.Length && Skipped[rawKind];

    private static bool[] Table(params SyntaxKind[] kinds)
    {
        var table = new bool[(int)kinds.Max() + 1];
        foreach (var kind in kinds)
        {
            table[(int)kind] = true;
        }

        return table;
    }
}
