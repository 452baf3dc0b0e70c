using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// Rust: the prefix is the file's module path (<c>src/auth/jwt.rs</c> → <c>auth.jwt</c>; <c>lib.rs</c>, <c>main.rs</c> and
/// <c>mod.rs</c> name their folder); functions in <c>impl T</c> blocks are methods of <c>T</c>; <c>impl Trait for T</c> and
/// supertraits are inheritance; <c>use a::b::{c, d as e}</c> gives module <c>a::b</c> with names.
/// </summary>
internal sealed class RustRules : LanguageRules
{
    protected override string[] PathSeparators => ["::", "."];

    public override string ModulePrefix(string path, string? package) => PathModule(path, ["lib", "main", "mod"], stripSrc: true);

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports) =>
        AddUse(doc, TsDocument.Field(node, "argument"u8), string.Empty, TsDocument.StartLine(node), imports);

    private static void AddUse(TsDocument doc, TsNode node, string prefix, int line, List<ImportInfo> imports)
    {
        if (node.IsNull)
        {
            return;
        }

        switch (TsDocument.Type(node))
        {
            case "scoped_use_list":
                var path = Join(prefix, doc.Text(TsDocument.Field(node, "path"u8)));
                AddList(doc, TsDocument.Field(node, "list"u8), path, line, imports);
                break;
            case "use_list":
                AddList(doc, node, prefix, line, imports);
                break;
            case "use_as_clause":
                var (module, name) = Split(Join(prefix, doc.Text(TsDocument.Field(node, "path"u8))));
                imports.Add(new ImportInfo(module, name.Length == 0 ? [] : [name], doc.Text(TsDocument.Field(node, "alias"u8)), line));
                break;
            case "use_wildcard":
                imports.Add(new ImportInfo(Join(prefix, doc.Text(TsDocument.NamedChild(node, 0))), ["*"], null, line));
                break;
            default:
                var (m, n) = Split(Join(prefix, doc.Text(node)));
                imports.Add(new ImportInfo(m, n.Length == 0 ? [] : [n], null, line));
                break;
        }
    }

    private static void AddList(TsDocument doc, TsNode list, string prefix, int line, List<ImportInfo> imports)
    {
        var plain = new List<string>();
        foreach (var item in TsDocument.NamedChildren(list))
        {
            var type = TsDocument.Type(item);
            if (type.Contains("comment", StringComparison.Ordinal))
            {
                continue;
            }

            if (type is "identifier")
            {
                plain.Add(doc.Text(item));
            }
            else if (type is "self")
            {
                imports.Add(new ImportInfo(prefix, [], null, line));
            }
            else
            {
                AddUse(doc, item, prefix, line, imports);
            }
        }

        if (plain.Count > 0)
        {
            imports.Add(new ImportInfo(prefix, plain, null, line));
        }
    }

    private static string Join(string prefix, string path) => prefix.Length == 0 ? path : prefix + "::" + path;

    private static (string Module, string Name) Split(string path)
    {
        var cut = path.LastIndexOf("::", StringComparison.Ordinal);
        return cut > 0 ? (path[..cut], path[(cut + 2)..]) : (path, string.Empty);
    }
}
