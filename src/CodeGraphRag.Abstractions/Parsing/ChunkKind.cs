namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>What a chunk covers.</summary>
public enum ChunkKind
{
    /// <summary>One function, method, constructor or property (or a part of one, when split).</summary>
    Function,
    /// <summary>A type's header with its fields and member signatures, bodies excluded.</summary>
    TypeHeader,
    /// <summary>Top-level code outside any symbol (imports, module statements), grouped.</summary>
    TopLevel,
    /// <summary>A line window of a text, markup or config file, or of a file in an unknown language.</summary>
    Window,
}
