namespace CodeGraphRag.Parsing.Chunking;

/// <summary>How files are cut into chunks. Bound from the <c>CodeGraphRag:Parsing</c> configuration section.</summary>
/// <remarks>Every value is part of the parser version, so changing one makes the next sync re-chunk every file.</remarks>
public sealed class ChunkingOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "CodeGraphRag:Parsing";

    /// <summary>
    /// Most model tokens of source text in one chunk (default 384): the model window is 512 and the embedded text adds a
    /// metadata header (path, symbol path, signature) later.
    /// </summary>
    public int MaxTokens { get; set; } = 384;

    /// <summary>Lines repeated at the start of the next part when a chunk is cut at a line that is not a symbol boundary (default 2).</summary>
    public int OverlapLines { get; set; } = 2;

    /// <summary>Most lines in one line window (text, markup, config, unknown languages) or one group of top-level code (default 50).</summary>
    public int WindowLines { get; set; } = 50;

    /// <summary>Characters per token for the estimate used when no token counter is registered (default 3.2; indentation is not counted).</summary>
    public double CharsPerToken { get; set; } = 3.2;
}
