namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>What a declared symbol is. Stored as its name, so new members may be appended freely.</summary>
public enum SymbolKind
{
    /// <summary>A namespace (C#), package (Java, Go) or module (Python file, JS/TS file).</summary>
    Namespace,
    /// <summary>A module-level scope that is not a namespace (a Python or JS file, a Rust mod).</summary>
    Module,
    /// <summary>A class.</summary>
    Class,
    /// <summary>An interface, protocol or trait.</summary>
    Interface,
    /// <summary>A struct.</summary>
    Struct,
    /// <summary>A record.</summary>
    Record,
    /// <summary>An enum.</summary>
    Enum,
    /// <summary>A method on a type.</summary>
    Method,
    /// <summary>A free function.</summary>
    Function,
    /// <summary>A constructor.</summary>
    Constructor,
    /// <summary>A property (or getter/setter pair).</summary>
    Property,
    /// <summary>A field or constant.</summary>
    Field,
    /// <summary>A type alias or delegate.</summary>
    TypeAlias,
}
