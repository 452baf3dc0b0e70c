namespace CodeGraphRag.Storage.Embedded;

/// <summary>Settings of the embedded store, bound from <c>CodeGraphRag:Storage:Embedded</c>.</summary>
public sealed class EmbeddedStorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = Constants.ConfigurationSection;

    /// <summary>The data directory holding <c>index.db</c>, the ANN index files and <c>write.lock</c>.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>The embedding model id whose vectors dense search uses; vectors of other ids are never mixed in.</summary>
    public string ModelId { get; set; } = string.Empty;

    /// <summary>Vector length of <see cref="ModelId"/>.</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>Up to this many vectors dense search is exact (SIMD brute force); above it an ANN index is used.</summary>
    public int ExactSearchThreshold { get; set; } = 20_000;

    /// <summary>
    /// How often a host brings the in-memory dense index up to date with the written vectors in the background (the
    /// hosts' <c>DenseIndexKeeper</c>), so a bulk index is added to it while the syncs run instead of all at once by the
    /// first search after them (168 s after 5,000 repositories; docs/benchmarks.md). Zero: only searches catch up.
    /// </summary>
    public TimeSpan DenseCatchUpInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Once the ANN index is in use, a repository, language, path or ACL filter admitting up to this many chunks is
    /// searched exactly over the admitted vectors, copied out of the in-memory ANN index once per filter and commit;
    /// a larger one searches the ANN index with the filter tested during the graph search. Default 100,000: on the
    /// 1.26M-chunk fleet a 5 % ACL (63k chunks) took 265 ms p50 through the filtered graph search and 9 ms exactly
    /// (docs/benchmarks.md, "1,000 repositories, 1.26 million chunks"); the cached copy costs 4 x dimensions + 8 bytes per
    /// admitted vector (1,544 at 384-d: up to 154 MB for one cached filter). 0 always uses the ANN index.
    /// </summary>
    public int FilteredExactSearchThreshold { get; set; } = 100_000;

    /// <summary>HNSW connectivity (edges per node) of the ANN index.</summary>
    public int AnnConnectivity { get; set; } = 16;

    /// <summary>HNSW expansion factor while adding vectors.</summary>
    public int AnnExpansionAdd { get; set; } = 64;

    /// <summary>
    /// HNSW expansion factor while searching: recall against exact search rises with it and so does the dense stage's
    /// latency (the recall and latency per value on 104k real vectors are in docs/benchmarks.md, "104k chunks with real
    /// document vectors").
    /// </summary>
    public int AnnExpansionSearch { get; set; } = 1024;

    /// <summary>
    /// How the ANN index holds each vector in memory (and in its saved file): <see cref="AnnVectorPrecision.F32"/> 4 bytes
    /// per dimension, <see cref="AnnVectorPrecision.F16"/> 2, <see cref="AnnVectorPrecision.I8"/> 1. SQLite keeps the exact
    /// f32 vectors either way; changing this rebuilds the ANN index from them on the next open. Recall per precision on
    /// real vectors is in docs/benchmarks.md ("ANN vector precision").
    /// </summary>
    public AnnVectorPrecision AnnPrecision { get; set; } = AnnVectorPrecision.F16;

    /// <summary>
    /// Queries with at least this many distinct terms drop the terms that match more than
    /// <see cref="LexicalCommonTermShare"/> of all chunks before the lexical search; 0 turns it off.
    /// </summary>
    public int LexicalPruneMinTerms { get; set; } = 8;

    /// <summary>
    /// The share of all chunks above which a term of a long query is dropped (its BM25 weight is small, its posting list
    /// long: at 104k chunks such terms made a 27-term query scan most of the index). The rarest terms are kept when every
    /// term is that common.
    /// </summary>
    public double LexicalCommonTermShare { get; set; } = 0.05;

    /// <summary>
    /// Answers unfiltered and repository-filtered lexical searches from the store's own block postings (exact BM25 top-k
    /// that skips what cannot reach it; the same hits and scores as FTS5) instead of FTS5, which scores every match; false
    /// keeps FTS5 for every lexical search (the postings are kept up to date either way).
    /// </summary>
    public bool LexicalPostings { get; set; } = true;

    /// <summary>Open without the writer lock; every write fails.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Lets several processes write the directory at once (the silos of a cluster on one host): no directory lock; SQLite
    /// serialises their transactions and each process keeps its vector index in step through the commit sequence.
    /// </summary>
    public bool SharedWriters { get; set; }

    /// <summary>A copy of every setting (a store keeps its own, so later changes to the caller's object do not reach it).</summary>
    internal EmbeddedStorageOptions Copy() => (EmbeddedStorageOptions)MemberwiseClone();
}
