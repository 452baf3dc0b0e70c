using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>
/// The language-specific part of extraction: what the queries cannot say (module prefixes, kinds that depend on
/// nesting, import statements, signatures). One sealed subclass per grammar family under <c>Languages/</c>.
/// </summary>
internal abstract class LanguageRules
{
    /// <summary>Separators of qualified names in this language, used to split names and simplify base names.</summary>
    protected virtual string[] PathSeparators => ["."];

    /// <summary>The prefix of every top-level qualified name, from the path or the package/namespace clause.</summary>
    public abstract string ModulePrefix(string path, string? package);

    /// <summary>The final symbol kind of a definition, or null to skip it.</summary>
    public virtual SymbolKind? ResolveKind(TsDocument doc, DefKind captured, string name, TsNode node, SymbolKind? parentKind) => captured switch
    {
        DefKind.Class => SymbolKind.Class,
        DefKind.Interface => SymbolKind.Interface,
        DefKind.Struct => SymbolKind.Struct,
        DefKind.Enum => SymbolKind.Enum,
        DefKind.Record => SymbolKind.Record,
        DefKind.Function => IsTypeKind(parentKind) ? SymbolKind.Method : SymbolKind.Function,
        DefKind.Method => IsTypeKind(parentKind) || parentKind is null ? SymbolKind.Method : SymbolKind.Function,
        DefKind.Constructor => SymbolKind.Constructor,
        DefKind.Property => SymbolKind.Property,
        DefKind.Field => SymbolKind.Field,
        DefKind.TypeAlias => SymbolKind.TypeAlias,
        DefKind.Module => SymbolKind.Module,
        DefKind.Namespace => SymbolKind.Namespace,
        DefKind.Type => SymbolKind.TypeAlias,
        _ => null,
    };

    /// <summary>The node whose lines are the symbol's span (decorators, export keywords and the like included).</summary>
    public virtual TsNode SpanNode(TsNode node) => node;

    /// <summary>The symbol's 1-based first line (by default the first line of <see cref="SpanNode"/>).</summary>
    public virtual int StartLine(TsNode node) => TsDocument.StartLine(SpanNode(node));

    /// <summary>The declared name as written: a simple name, or a path like <c>Outer::Inner</c> for out-of-line definitions.</summary>
    public virtual string DeclaredName(TsDocument doc, TsNode nameNode) => doc.Text(nameNode);

    /// <summary>The one-line declaration header (no body).</summary>
    public virtual string? Signature(TsDocument doc, TsNode node)
    {
        var body = TsDocument.Field(node, "body"u8);
        if (body.IsNull)
        {
            var value = TsDocument.Field(node, "value"u8);
            if (!value.IsNull)
            {
                body = TsDocument.Field(value, "body"u8);
            }
        }

        string header;
        if (!body.IsNull && TsDocument.StartByte(body) > TsDocument.StartByte(node))
        {
            header = doc.OneLine(TsDocument.StartByte(node), TsDocument.StartByte(body));
        }
        else
        {
            header = doc.OneLine(node);
            var brace = header.IndexOf('{', StringComparison.Ordinal);
            if (brace > 0)
            {
                header = header[..brace];
            }
        }

        header = header.TrimEnd(' ', '{', ':', ';');
        if (header.EndsWith("=>", StringComparison.Ordinal))
        {
            header = header[..^2];
        }

        header = header.TrimEnd(' ', '=');
        return header.Length == 0 ? null : header;
    }

    /// <summary>Interprets one captured import statement.</summary>
    public abstract void AddImports(TsDocument doc, TsNode node, List<ImportInfo> imports);

    /// <summary>Adjusts a call's name and qualifier; returns false to drop it.</summary>
    public virtual bool NormalizeCall(TsDocument doc, TsNode call, ref string name, ref string? qualifier) => true;

    /// <summary>Splits a written path into segments using the language's separators.</summary>
    public string[] SplitPath(string path) =>
        path.Split(PathSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A base type's simple name: generic arguments and qualifiers removed.</summary>
    public string SimpleName(string written)
    {
        var cut = written.IndexOfAny(['<', '[', '(']);
        var text = cut > 0 ? written[..cut] : written;
        var parts = SplitPath(text);
        return parts.Length == 0 ? text.Trim() : parts[^1];
    }

    /// <summary>Text of a string literal without its quotes.</summary>
    protected static string Unquote(string literal)
    {
        var s = literal.Trim();
        if (s.Length >= 2 && (s[0] is '"' or '\'' or '`' or '<') && (s[^1] is '"' or '\'' or '`' or '>'))
        {
            return s[1..^1];
        }

        return s;
    }

    /// <summary>Turns a repository-relative path into a dotted module name (extension and index file dropped).</summary>
    protected static string PathModule(string path, string[] indexNames, bool stripSrc)
    {
        var p = path.Replace('\\', '/').TrimStart('.', '/');
        if (stripSrc && p.StartsWith("src/", StringComparison.Ordinal))
        {
            p = p[4..];
        }

        var slash = p.LastIndexOf('/');
        var file = p[(slash + 1)..];
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        var stem = dot > 0 ? file[..dot] : file;
        var dir = slash >= 0 ? p[..slash] : string.Empty;
        var module = Array.IndexOf(indexNames, stem) >= 0 ? dir : (dir.Length == 0 ? stem : dir + "/" + stem);
        return module.Replace('/', '.');
    }

    private static bool IsTypeKind(SymbolKind? kind) =>
        kind is SymbolKind.Class or SymbolKind.Interface or SymbolKind.Struct or SymbolKind.Enum or SymbolKind.Record;
}
