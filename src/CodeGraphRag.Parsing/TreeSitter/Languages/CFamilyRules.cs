using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// C and C++: no module prefix (C++ namespaces and classes nest); out-of-line definitions <c>void A::f()</c> are qualified
/// by their scope; <c>#include</c> gives the header path as module, <c>using a::b;</c> module <c>a</c> with name <c>b</c>.
/// </summary>
internal sealed class CFamilyRules : LanguageRules
{
    protected override string[] PathSeparators => ["::", "."];

    public override string ModulePrefix(string path, string? package) => string.Empty;

    public override string DeclaredName(TsDocument doc, TsNode nameNode)
    {
        // Walk pointer/reference/function declarators down to the declared identifier (iteratively, bounded).
        var node = nameNode;
        for (var depth = 0; depth < 64 && !node.IsNull; depth++)
        {
            var type = TsDocument.Type(node);
            if (!type.EndsWith("declarator", StringComparison.Ordinal))
            {
                return doc.OneLine(node, 200).Replace(" ", string.Empty, StringComparison.Ordinal);
            }

            var inner = TsDocument.Field(node, "declarator"u8);
            node = inner.IsNull && TsDocument.NamedChildCount(node) > 0 ? TsDocument.NamedChild(node, 0) : inner;
        }

        return string.Empty;
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var line = TsDocument.StartLine(node);
        if (TsDocument.Type(node) == "preproc_include")
        {
            imports.Add(new ImportInfo(Unquote(doc.Text(TsDocument.Field(node, "path"u8))), [], null, line));
            return;
        }

        var target = TsDocument.NamedChildCount(node) > 0 ? doc.OneLine(TsDocument.NamedChild(node, 0), 200) : string.Empty;
        var cut = target.LastIndexOf("::", StringComparison.Ordinal);
        if (cut > 0)
        {
            imports.Add(new ImportInfo(target[..cut], [target[(cut + 2)..]], null, line));
        }
        else if (target.Length > 0)
        {
            imports.Add(new ImportInfo(target, [], null, line));
        }
    }
}
