using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// PHP: the prefix is the namespace with <c>\</c> as <c>.</c>; <c>__construct</c> is the constructor; traits count as
/// interfaces; <c>use A\B\C as D;</c> gives module <c>A\B</c>, name <c>C</c>, alias <c>D</c>.
/// </summary>
internal sealed class PhpRules : LanguageRules
{
    protected override string[] PathSeparators => ["\\", "::", "."];

    public override string ModulePrefix(string path, string? package) =>
        package is null ? string.Empty : package.Trim('\\').Replace('\\', '.');

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind)
    {
        var kind = base.ResolveKind(doc, captured, name, node, parentKind);
        return kind == SymbolKind.Method && name == "__construct" ? SymbolKind.Constructor : kind;
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var line = TsDocument.StartLine(node);
        var groupPrefix = string.Empty;
        foreach (var child in TsDocument.NamedChildren(node))
        {
            switch (TsDocument.Type(child))
            {
                case "namespace_name":
                    groupPrefix = doc.Text(child);
                    break;
                case "namespace_use_clause":
                    AddClause(doc, child, string.Empty, line, imports);
                    break;
                case "namespace_use_group":
                    foreach (var clause in TsDocument.NamedChildren(child))
                    {
                        AddClause(doc, clause, groupPrefix, line, imports);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private static void AddClause(TsDocument doc, TsNode clause, string prefix, int line, List<ImportInfo> imports)
    {
        var target = string.Empty;
        foreach (var part in TsDocument.NamedChildren(clause))
        {
            if (TsDocument.Type(part) is "name" or "qualified_name")
            {
                target = doc.Text(part).TrimStart('\\');
                break;
            }
        }

        if (target.Length == 0)
        {
            return;
        }

        if (prefix.Length > 0)
        {
            target = prefix.TrimStart('\\') + "\\" + target;
        }

        var alias = TsDocument.Field(clause, "alias"u8);
        var cut = target.LastIndexOf('\\');
        var module = cut > 0 ? target[..cut] : target;
        IReadOnlyList<string> names = cut > 0 ? [target[(cut + 1)..]] : [];
        imports.Add(new ImportInfo(module, names, alias.IsNull ? null : doc.Text(alias), line));
    }
}
