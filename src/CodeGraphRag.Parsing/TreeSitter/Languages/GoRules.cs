using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// Go: the prefix is the package clause; methods are qualified by their receiver type (<c>pkg.Server.Handle</c>);
/// <c>type X struct</c> is a struct, <c>type X interface</c> an interface, other named types are aliases; embedded
/// fields and embedded interfaces are inheritance; closures assigned with <c>:=</c> are nested functions; composite
/// literals of named types (<c>&amp;Server{...}</c>) are constructor calls.
/// </summary>
internal sealed class GoRules : LanguageRules
{
    public override string ModulePrefix(string path, string? package) => package ?? string.Empty;

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind)
    {
        if (captured == DefKind.Type)
        {
            return TsDocument.Type(TsDocument.Field(node, "type"u8)) switch
            {
                "struct_type" => SymbolKind.Struct,
                "interface_type" => SymbolKind.Interface,
                _ => SymbolKind.TypeAlias,
            };
        }

        return captured == DefKind.Method ? SymbolKind.Method : base.ResolveKind(doc, captured, name, node, parentKind);
    }

    public override TsNode SpanNode(TsNode node)
    {
        // A lone `type X struct {...}` spans its `type` keyword; specs inside `type ( ... )` keep their own lines.
        var parent = TsDocument.Parent(node);
        return !parent.IsNull && TsDocument.Type(parent) == "type_declaration" && TsDocument.NamedChildCount(parent) == 1 ? parent : node;
    }

    public override string? Signature(TsDocument doc, TsNode node)
    {
        var type = TsDocument.Type(node);
        if (type is "type_spec" or "type_alias")
        {
            var header = base.Signature(doc, node);
            return header is null ? null : "type " + header;
        }

        return base.Signature(doc, node);
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var path = Unquote(doc.Text(TsDocument.Field(node, "path"u8)));
        var name = TsDocument.Field(node, "name"u8);
        imports.Add(new ImportInfo(path, [], name.IsNull ? null : doc.Text(name), TsDocument.StartLine(node)));
    }
}
