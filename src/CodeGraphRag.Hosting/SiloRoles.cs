namespace CodeGraphRag.Hosting;

/// <summary>What a silo hosts. A silo without a role never activates that role's grains; placement only considers silos that can host a grain class.</summary>
[Flags]
public enum SiloRoles
{
    /// <summary>No role.</summary>
    None = 0,

    /// <summary>Repository and file grains: walking trees, parsing, chunking, writing.</summary>
    Indexer = 1,

    /// <summary>Search grains.</summary>
    Query = 2,

    /// <summary>Embedding grains: ONNX Runtime on CPU or CUDA.</summary>
    Embedder = 4,

    /// <summary>Every role (the default and the embedded host).</summary>
    All = Indexer | Query | Embedder,
}
