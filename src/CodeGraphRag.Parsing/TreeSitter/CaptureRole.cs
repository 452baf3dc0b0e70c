namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>What a capture in one of our query files means; parsed from its name (see Queries/README.md).</summary>
internal enum CaptureRole
{
    /// <summary>Helper captures (names starting with <c>_</c>) and unknown names.</summary>
    Ignore,
    /// <summary><c>@def.&lt;kind&gt;</c>: a declaration node.</summary>
    Definition,
    /// <summary><c>@name</c>: the declared name.</summary>
    Name,
    /// <summary><c>@receiver</c>: the owning type named outside the declaration (Go receivers, Rust impl types).</summary>
    Receiver,
    /// <summary><c>@call</c>: a call or constructor call expression.</summary>
    Call,
    /// <summary><c>@call.name</c>: the called name.</summary>
    CallName,
    /// <summary><c>@call.qualifier</c>: the receiver or qualifier of the call.</summary>
    CallQualifier,
    /// <summary><c>@import</c>: an import statement, interpreted in code per language.</summary>
    Import,
    /// <summary><c>@base</c>: a base type or implemented interface of the enclosing type.</summary>
    Base,
    /// <summary><c>@package</c>: the package or namespace name that prefixes qualified names.</summary>
    Package,
}

/// <summary>Declaration kinds a query can capture; <see cref="Type"/> and <see cref="Scope"/> are resolved in code.</summary>
internal enum DefKind
{
    None,
    Class,
    Interface,
    Struct,
    Enum,
    Record,
    Function,
    Method,
    Constructor,
    Property,
    Field,
    TypeAlias,
    Module,
    Namespace,
    /// <summary>A type whose kind depends on its definition (Go <c>type_spec</c>).</summary>
    Type,
    /// <summary>Names a scope for qualified names but is not a symbol itself (Rust <c>impl</c> blocks).</summary>
    Scope,
}

/// <summary>A capture id's role and, for definitions, its kind.</summary>
internal readonly record struct CaptureInfo(CaptureRole Role, DefKind Kind)
{
    public static CaptureInfo FromName(string name)
    {
        if (name.StartsWith("def.", StringComparison.Ordinal))
        {
            return Enum.TryParse<DefKind>(name.AsSpan(4), ignoreCase: true, out var kind) && kind != DefKind.None
                ? new CaptureInfo(CaptureRole.Definition, kind)
                : throw new InvalidOperationException($"Unknown definition capture @{name} in a tree-sitter query.");
        }

        var role = name switch
        {
            "name" => CaptureRole.Name,
            "receiver" => CaptureRole.Receiver,
            "call" => CaptureRole.Call,
            "call.name" => CaptureRole.CallName,
            "call.qualifier" => CaptureRole.CallQualifier,
            "import" => CaptureRole.Import,
            "base" => CaptureRole.Base,
            "package" => CaptureRole.Package,
            _ => CaptureRole.Ignore,
        };
        return new CaptureInfo(role, DefKind.None);
    }
}
