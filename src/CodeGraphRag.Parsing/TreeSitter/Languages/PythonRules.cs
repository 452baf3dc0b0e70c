using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter.Languages;

/// <summary>
/// Python: the module prefix is the dotted path (<c>pkg/auth/jwt.py</c> → <c>pkg.auth.jwt</c>, <c>__init__.py</c> → the
/// package, a leading <c>src/</c> dropped); functions in classes are methods, <c>__init__</c> is the constructor;
/// decorators belong to the span.
/// </summary>
internal sealed class PythonRules : LanguageRules
{
    public override string ModulePrefix(string path, string? package) => PathModule(path, ["__init__"], stripSrc: true);

    public override SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind)
    {
        var kind = base.ResolveKind(doc, captured, name, node, parentKind);
        if (kind != SymbolKind.Method)
        {
            return kind;
        }

        return name == "__init__" ? SymbolKind.Constructor : IsProperty(doc, node) ? SymbolKind.Property : kind;
    }

    /// <summary>Decorated with <c>@property</c>, <c>@cached_property</c> or <c>@x.setter</c>/<c>@x.deleter</c>.</summary>
    private static bool IsProperty(TsDocument doc, TsNode function)
    {
        var parent = TsDocument.Parent(function);
        if (parent.IsNull || TsDocument.Type(parent) != "decorated_definition")
        {
            return false;
        }

        foreach (var decorator in TsDocument.NamedChildren(parent))
        {
            if (TsDocument.Type(decorator) != "decorator")
            {
                continue;
            }

            var expression = TsDocument.NamedChild(decorator, 0);
            var type = TsDocument.Type(expression);
            var last = type switch
            {
                "identifier" => doc.Text(expression),
                "attribute" => doc.Text(TsDocument.Field(expression, "attribute"u8)),
                _ => string.Empty,
            };
            if (last is "property" or "cached_property" or "setter" or "deleter" or "getter")
            {
                return true;
            }
        }

        return false;
    }

    public override TsNode SpanNode(TsNode node)
    {
        var parent = TsDocument.Parent(node);
        return !parent.IsNull && TsDocument.Type(parent) == "decorated_definition" ? parent : node;
    }

    public override void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports)
    {
        var line = TsDocument.StartLine(node);
        var type = TsDocument.Type(node);
        if (type == "import_statement")
        {
            // import a.b, c as d: one entry per module.
            foreach (var (child, field) in TsDocument.ChildrenWithFields(node))
            {
                if (field != "name")
                {
                    continue;
                }

                var (name, alias) = NameAndAlias(doc, child);
                imports.Add(new ImportInfo(name, [], alias, line));
            }

            return;
        }

        // from m import a, b as c  /  from . import x  /  from m import *  /  from __future__ import annotations
        var module = type == "future_import_statement" ? "__future__" : doc.Text(TsDocument.Field(node, "module_name"u8));
        var plain = new List<string>();
        foreach (var (child, field) in TsDocument.ChildrenWithFields(node))
        {
            if (field == "name")
            {
                var (name, alias) = NameAndAlias(doc, child);
                if (alias is null)
                {
                    plain.Add(name);
                }
                else
                {
                    imports.Add(new ImportInfo(module, [name], alias, line));
                }
            }
            else if (TsDocument.Type(child) == "wildcard_import")
            {
                plain.Add("*");
            }
        }

        if (plain.Count > 0)
        {
            imports.Add(new ImportInfo(module, plain, null, line));
        }
    }

    private static (string Name, string? Alias) NameAndAlias(TsDocument doc, TsNode node)
    {
        if (TsDocument.Type(node) != "aliased_import")
        {
            return (doc.Text(node), null);
        }

        return (doc.Text(TsDocument.Field(node, "name"u8)), doc.Text(TsDocument.Field(node, "alias"u8)));
    }
}
