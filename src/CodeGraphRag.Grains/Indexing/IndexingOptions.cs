namespace CodeGraphRag.Grains.Indexing;

/// <summary>Indexing settings, section <c>CodeGraphRag:Indexing</c>.</summary>
public sealed class IndexingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Indexing";

    /// <summary>Files processed concurrently by one repository grain.</summary>
    public int MaxParallelFiles { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Files larger than this are skipped as too-large.</summary>
    public long MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>Texts per call to the embedding grain.</summary>
    public int EmbedRequestSize { get; set; } = 64;
}
