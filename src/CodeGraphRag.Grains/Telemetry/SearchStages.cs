namespace CodeGraphRag.Grains.Telemetry;

/// <summary>The <c>stage</c> tag values of <see cref="PipelineMetrics.SearchStageInstrument"/>, in pipeline order.</summary>
public static class SearchStages
{
    /// <summary>Embedding the query (through the embedding grain).</summary>
    public const string Embed = "embed";

    /// <summary>Dense (vector) search, after the query embedding.</summary>
    public const string Dense = "dense";

    /// <summary>Lexical (BM25) search, concurrent with embedding and dense search.</summary>
    public const string Lexical = "lexical";

    /// <summary>Looking up the files the query names by path (hybrid modes), concurrent with both searches.</summary>
    public const string Mentions = "mentions";

    /// <summary>Resolving the identifiers a query names to their definitions and callers, with their chunks.</summary>
    public const string Symbols = "symbols";

    /// <summary>Fusion and loading the fused candidates' chunks.</summary>
    public const string Chunks = "chunks";

    /// <summary>Graph neighbours of the best hits (the store's <c>GetNeighbors</c>).</summary>
    public const string Graph = "graph";

    /// <summary>Loading the neighbours' chunks.</summary>
    public const string NeighborChunks = "neighbor_chunks";

    /// <summary>The files' own lexical documents (file results with a file-lexical weight), concurrent with both searches.</summary>
    public const string FileLexical = "file_lexical";

    /// <summary>File results: the admitted chunks aggregated per file and fused with the file-lexical ranking.</summary>
    public const string Files = "files";

    /// <summary>Every stage, in pipeline order.</summary>
    public static IReadOnlyList<string> All { get; } = [Embed, Dense, Lexical, Mentions, Symbols, FileLexical, Chunks, Graph, NeighborChunks, Files];
}
