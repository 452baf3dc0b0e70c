namespace CodeGraphRag.Abstractions.Storage;

/// <summary>How a neighbour relates to the symbol it was found from.</summary>
[Flags]
public enum GraphRelation
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>The neighbour calls the symbol.</summary>
    Caller = 1,
    /// <summary>The symbol calls the neighbour.</summary>
    Callee = 2,
    /// <summary>The neighbour is the enclosing type or module.</summary>
    Parent = 4,
    /// <summary>The symbol's file imports the neighbour's file.</summary>
    Imports = 8,
    /// <summary>The neighbour is a base type or implemented interface of the symbol.</summary>
    BaseType = 16,
    /// <summary>The neighbour derives from or implements the symbol.</summary>
    DerivedType = 32,
    /// <summary>Every relation.</summary>
    All = Caller | Callee | Parent | Imports | BaseType | DerivedType,
}
