using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Syntax;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

/// <summary>Reads fixture files and renders facts as one line each, so expectations read like the source.</summary>
internal static class Facts
{
    public static string Fixture(string fileName) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TreeSitter", "Fixtures", fileName));

    public static string[] Symbols(SyntaxFacts facts) =>
        [.. facts.Symbols.Select(s => $"{s.QualifiedName} {s.Kind} {s.StartLine}-{s.EndLine} parent={s.ParentQualifiedName}")];

    public static string[] Calls(SyntaxFacts facts) =>
        [.. facts.Calls.Select(c => $"{c.CallerQualifiedName} -> {(c.Qualifier is null ? string.Empty : c.Qualifier + " :: ")}{c.Name} @{c.Line}")];

    public static string[] Imports(SyntaxFacts facts) =>
        [.. facts.Imports.Select(i => $"{i.Module} [{string.Join(",", i.Names)}]{(i.Alias is null ? string.Empty : " as " + i.Alias)} @{i.Line}")];

    public static string[] Inheritance(SyntaxFacts facts) =>
        [.. facts.Inheritance.Select(h => $"{h.TypeQualifiedName} : {h.BaseName} @{h.Line}")];

    public static SymbolInfo Symbol(SyntaxFacts facts, string qualifiedName) =>
        facts.Symbols.Single(s => s.QualifiedName == qualifiedName);
}
