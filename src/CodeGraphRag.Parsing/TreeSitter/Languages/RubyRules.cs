using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// Ruby: no file prefix (modules and classes nest); <c>def</c> in a class or module is a method, at the top level a
/// function; <c>initialize</c> is the constructor; <c>Foo.new</c> is a constructor call named <c>Foo</c>;
/// <c>require</c>/<c>require_relative</c>/<c>load</c> are imports.
/// </summary>
internal sealed class RubyRules : LanguageRules
{
    protected override string[] PathSeparators => ["::", "."];

    public override string ModulePrefix(string path, string? package) => string.Empty;

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind)
    {
        if (captured != DefKind.Method)
        {
            return base.ResolveKind(doc, captured, name, node, parentKind);
        }

        if (parentKind is SymbolKind.Class or SymbolKind.Module or SymbolKind.Interface)
        {
            return name == "initialize" ? SymbolKind.Constructor : SymbolKind.Method;
        }

        return SymbolKind.Function;
    }

    public override bool NormalizeCall(TsDocument doc, TsNode call, ref string name, ref string? qualifier)
    {
        if (name == "new" && qualifier is { Length: > 0 } q && char.IsUpper(q[0]))
        {
            var parts = SplitPath(q);
            name = parts[^1];
            qualifier = parts.Length > 1 ? string.Join("::", parts[..^1]) : null;
        }

        return true;
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var fn = doc.Text(TsDocument.Field(node, "method"u8));
        if (fn is not ("require" or "require_relative" or "load"))
        {
            return;
        }

        var argument = TsDocument.NamedChild(TsDocument.Field(node, "arguments"u8), 0);
        imports.Add(new ImportInfo(Unquote(doc.Text(argument)), [], null, TsDocument.StartLine(node)));
    }
}
