using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// Java: the prefix is the package declaration; annotations are part of the span (they sit in the modifiers).
/// <c>import a.b.C;</c> is module <c>a.b</c> with name <c>C</c>; <c>import a.b.*;</c> is module <c>a.b</c> with name
/// <c>*</c>; <c>import static a.b.C.m;</c> is module <c>a.b.C</c> with name <c>m</c>.
/// </summary>
internal sealed class JavaRules : LanguageRules
{
    public override string ModulePrefix(string path, string? package) => package ?? string.Empty;

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind) =>
        captured == DefKind.Method ? SymbolKind.Method : base.ResolveKind(doc, captured, name, node, parentKind);

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var target = string.Empty;
        var wildcard = false;
        foreach (var child in TsDocument.NamedChildren(node))
        {
            switch (TsDocument.Type(child))
            {
                case "identifier" or "scoped_identifier":
                    target = doc.Text(child).Replace(" ", string.Empty, StringComparison.Ordinal);
                    break;
                case "asterisk":
                    wildcard = true;
                    break;
                default:
                    break;
            }
        }

        if (target.Length == 0)
        {
            return;
        }

        var line = TsDocument.StartLine(node);
        var dot = target.LastIndexOf('.');
        if (wildcard)
        {
            imports.Add(new ImportInfo(target, ["*"], null, line));
        }
        else if (dot > 0)
        {
            imports.Add(new ImportInfo(target[..dot], [target[(dot + 1)..]], null, line));
        }
        else
        {
            imports.Add(new ImportInfo(target, [], null, line));
        }
    }
}
