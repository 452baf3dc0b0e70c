using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// JavaScript, TypeScript and TSX: the module prefix is the path without extension with <c>/</c> as <c>.</c>
/// (<c>src/auth/jwt.ts</c> → <c>src.auth.jwt</c>; an <c>index</c> file names its folder). <c>constructor</c> is the
/// constructor, <c>get</c>/<c>set</c> accessors are properties, <c>exports.f = () =&gt; …</c> is a function; <c>export</c>, <c>const x =</c> and decorators belong to the span. Imports: ES imports, <c>require('m')</c>.
/// </summary>
internal sealed class JavaScriptRules : LanguageRules
{
    public override string ModulePrefix(string path, string? package) => PathModule(path, ["index"], stripSrc: false);

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind)
    {
        var kind = base.ResolveKind(doc, captured, name, node, parentKind);
        if (kind != SymbolKind.Method || TsDocument.Type(node) != "method_definition")
        {
            return kind;
        }

        return name == "constructor" ? SymbolKind.Constructor : IsAccessor(node) ? SymbolKind.Property : kind;
    }

    /// <summary><c>get x()</c> / <c>set x(v)</c>: the keyword is an anonymous child before the name.</summary>
    private static bool IsAccessor(TsNode method)
    {
        foreach (var (child, field) in TsDocument.ChildrenWithFields(method))
        {
            if (field == "name")
            {
                return false;
            }

            if (TsDocument.Type(child) is "get" or "set")
            {
                return true;
            }
        }

        return false;
    }

    public override TsNode SpanNode(TsNode node)
    {
        var span = node;
        var parent = TsDocument.Parent(span);
        if (!parent.IsNull && TsDocument.Type(span) == "variable_declarator"
            && TsDocument.Type(parent) is "lexical_declaration" or "variable_declaration" && TsDocument.NamedChildCount(parent) == 1)
        {
            span = parent;
            parent = TsDocument.Parent(span);
        }

        return !parent.IsNull && TsDocument.Type(parent) == "export_statement" ? parent : span;
    }

    public override int StartLine(TsNode node)
    {
        // TypeScript keeps member decorators as siblings before the member in the class body.
        var first = SpanNode(node);
        for (var prev = TsDocument.PrevNamedSibling(first); !prev.IsNull && TsDocument.Type(prev) == "decorator"; prev = TsDocument.PrevNamedSibling(prev))
        {
            first = prev;
        }

        return TsDocument.StartLine(first);
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var line = TsDocument.StartLine(node);
        if (TsDocument.Type(node) == "call_expression")
        {
            AddRequire(doc, node, line, imports);
            return;
        }

        var source = TsDocument.Field(node, "source"u8);
        if (source.IsNull)
        {
            // import x = require('m') (TypeScript)
            foreach (var child in TsDocument.NamedChildren(node))
            {
                if (TsDocument.Type(child) == "import_require_clause")
                {
                    var alias = TsDocument.NamedChild(child, 0);
                    imports.Add(new ImportInfo(Unquote(doc.Text(TsDocument.Field(child, "source"u8))), [], doc.Text(alias), line));
                }
            }

            return;
        }

        var module = Unquote(doc.Text(source));
        var clause = default(TsNode);
        foreach (var child in TsDocument.NamedChildren(node))
        {
            if (TsDocument.Type(child) == "import_clause")
            {
                clause = child;
            }
        }

        if (clause.IsNull)
        {
            imports.Add(new ImportInfo(module, [], null, line));
            return;
        }

        var plain = new List<string>();
        foreach (var part in TsDocument.NamedChildren(clause))
        {
            switch (TsDocument.Type(part))
            {
                case "identifier":
                    // Default import: the local name stands for the module's default export.
                    imports.Add(new ImportInfo(module, [], doc.Text(part), line));
                    break;
                case "namespace_import":
                    imports.Add(new ImportInfo(module, [], doc.Text(TsDocument.NamedChild(part, 0)), line));
                    break;
                case "named_imports":
                    foreach (var spec in TsDocument.NamedChildren(part))
                    {
                        if (TsDocument.Type(spec) != "import_specifier")
                        {
                            continue;
                        }

                        var name = Unquote(doc.Text(TsDocument.Field(spec, "name"u8)));
                        var alias = TsDocument.Field(spec, "alias"u8);
                        if (alias.IsNull)
                        {
                            plain.Add(name);
                        }
                        else
                        {
                            imports.Add(new ImportInfo(module, [name], doc.Text(alias), line));
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (plain.Count > 0)
        {
            imports.Add(new ImportInfo(module, plain, null, line));
        }
    }

    private static void AddRequire(TsDocument doc, TsNode call, int line, List<ImportInfo> imports)
    {
        if (doc.Text(TsDocument.Field(call, "function"u8)) != "require")
        {
            return;
        }

        var module = Unquote(doc.Text(TsDocument.NamedChild(TsDocument.Field(call, "arguments"u8), 0)));
        var parent = TsDocument.Parent(call);
        if (parent.IsNull || TsDocument.Type(parent) != "variable_declarator")
        {
            imports.Add(new ImportInfo(module, [], null, line));
            return;
        }

        var target = TsDocument.Field(parent, "name"u8);
        if (TsDocument.Type(target) == "identifier")
        {
            imports.Add(new ImportInfo(module, [], doc.Text(target), line));
            return;
        }

        // const { a, b: c } = require('m')
        var plain = new List<string>();
        foreach (var p in TsDocument.NamedChildren(target))
        {
            switch (TsDocument.Type(p))
            {
                case "shorthand_property_identifier_pattern":
                    plain.Add(doc.Text(p));
                    break;
                case "pair_pattern":
                    imports.Add(new ImportInfo(module, [doc.Text(TsDocument.Field(p, "key"u8))], doc.Text(TsDocument.Field(p, "value"u8)), line));
                    break;
                default:
                    break;
            }
        }

        imports.Add(new ImportInfo(module, plain, null, line));
    }
}
