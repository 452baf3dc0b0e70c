using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>The <c>cgr bench --json</c> object: the sections that have a JSON form, then the machine.</summary>
/// <param name="Embedding">Embedding throughput per measured precision; absent when embedding was not measured.</param>
/// <param name="Agreement">Each non-fp32 precision's vectors against fp32's on the same chunks; absent unless fp32 and another precision were measured.</param>
/// <param name="MultiRepo">The multi-repository dense search section; absent when it was skipped (0 chunks).</param>
/// <param name="Machine">Where the benchmark ran.</param>
/// <param name="Fleet">The <c>--fleet</c> section; absent without <c>--fleet</c>.</param>
internal sealed record BenchDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EmbeddingBenchDocument>? Embedding,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, AgreementDocument>? Agreement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MultiRepoDocument? MultiRepo,
    BenchMachineDocument Machine,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FleetDocument? Fleet = null);

/// <summary>
/// One precision's embedding throughput on the benchmark's chunks; <c>share_of_bound</c> is the achieved share of the
/// CPU's fp32 FLOP bound (null on CUDA, where that bound does not apply).
/// </summary>
internal sealed record EmbeddingBenchDocument(
    string Precision,
    string Device,
    string ModelId,
    int Chunks,
    double ChunksPerS,
    double TokensPerS,
    double? ShareOfBound);

/// <summary>Cosine of one precision's vector with fp32's for the same chunk: mean and minimum over the chunks.</summary>
internal sealed record AgreementDocument(int Chunks, double MeanCosine, double MinCosine);

/// <summary>Core count and UTC date (<c>yyyy-MM-dd</c>) of the run.</summary>
internal sealed record BenchMachineDocument(int Cores, string Date);

/// <summary>
/// The <c>multi_repo</c> section: the synthetic store, then each filtered strategy's scopes
/// (<c>all</c>, <c>one_large_repo</c>, <c>one_small_repo</c>, <c>acl_list</c>).
/// </summary>
internal sealed record MultiRepoDocument(
    int Chunks,
    int Dimensions,
    IReadOnlyDictionary<string, int> Repositories,
    double WriteSeconds,
    bool UsesAnn,
    double ReopenMs,
    IReadOnlyDictionary<string, MultiRepoScopeDocument> Default,
    IReadOnlyDictionary<string, MultiRepoScopeDocument> ExactInMemory,
    IReadOnlyDictionary<string, MultiRepoScopeDocument> AnnFiltered);

/// <summary>One scope under one strategy; <c>repositories</c> is <c>null</c> for the unfiltered scope.</summary>
internal sealed record MultiRepoScopeDocument(
    IReadOnlyList<string>? Repositories,
    int AdmittedChunks,
    int Queries,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p95_ms")] double P95Ms,
    double FirstQueryMs,
    [property: JsonPropertyName("recall_at_10")] double RecallAt10);

/// <summary>
/// The <c>fleet</c> section of <c>cgr bench --fleet N</c>. Latencies are milliseconds (<c>p50</c>, <c>p95</c>); queries run
/// in hybrid+graph mode (the default) with the query embedding included. <c>index_s</c> is the wall time of syncing every repository
/// (<c>index_kind</c>: <c>cold</c>, <c>re-sync</c> of a kept data directory, or <c>mixed</c>); <c>chunks_per_s</c> is chunks
/// written per second of it. <c>embeddings_avoided_ratio</c> is the share of written chunks whose vector came from the
/// embedding cache or the stored vectors (null when nothing was written). <c>catalog_ms</c> has <c>list</c> (list every
/// repository) and <c>status_all</c> (what <c>cgr status</c> reads for every repository). <c>disk_mb</c> is the data
/// directory without the fleet's source trees and prepared models (<c>models</c>); the <c>_per_m_chunks</c> values divide by the indexed chunks in millions.
/// <c>real_vectors_extrapolated_s</c> is this run's embedding work at the measured real-model rate (null when the rate was
/// not measured, <c>--embed 0</c>, or the vectors were real). <c>dense_catch_up_s</c>: seconds after the syncs until the
/// dense index held every vector and was saved (the index follows writes lazily; not part of <c>index_s</c>).
/// </summary>
internal sealed record FleetDocument(
    int Repos,
    int Forks,
    long Files,
    long Chunks,
    double IndexS,
    string IndexKind,
    double ChunksPerS,
    long ChunksWritten,
    long ChunksEmbedded,
    double? EmbeddingsAvoidedRatio,
    PercentilesDocument QueryMs,
    PercentilesDocument AclQueryMs,
    PercentilesDocument RepoQueryMs,
    PercentilesDocument? PushToSearchableMs,
    FleetCatalogDocument CatalogMs,
    double RssMb,
    double DiskMb,
    double? RssMbPerMChunks,
    double? DiskMbPerMChunks,
    string DocVectors,
    double? RealVectorsExtrapolatedS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FleetMemoryDocument? Memory = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FleetFairnessDocument? Fairness = null,
    double? DenseCatchUpS = null);

/// <summary>
/// Sync fairness: <c>small_repos</c> small repositories pushed at once, each timed from its sync's start to completion
/// (ms), on the idle fleet (<c>small_alone_ms</c>, <c>small_alone_max_ms</c>) and while a new <c>big_files</c>-file
/// repository is in its file phase (<c>small_beside_big_ms</c>, <c>small_beside_big_max_ms</c>);
/// <c>big_still_syncing</c> says whether the big sync was still running when the last small one finished.
/// </summary>
internal sealed record FleetFairnessDocument(
    int SmallRepos,
    PercentilesDocument SmallAloneMs,
    double SmallAloneMaxMs,
    PercentilesDocument SmallBesideBigMs,
    double SmallBesideBigMaxMs,
    int BigFiles,
    long BigChunks,
    bool BigStillSyncing,
    double? BigSearchableS,
    double BigS);

/// <summary>
/// Where the fleet process's memory is, in MB: resident set split into anonymous and file-backed pages (Linux), the GC's
/// heap and committed memory as the run left them, and the same after a full blocking compacting collection (what a
/// long-running process settles to; <c>rss_mb</c> stays the figure read before it).
/// </summary>
internal sealed record FleetMemoryDocument(
    string GcMode,
    double? RssAnonMb,
    double? RssFileMb,
    double GcHeapMb,
    double GcCommittedMb,
    double GcHeapAfterFullGcMb,
    double GcCommittedAfterFullGcMb,
    double RssAfterFullGcMb,
    double? RssAnonAfterFullGcMb);

/// <summary>Median and 95th percentile, in the unit the property name gives.</summary>
internal sealed record PercentilesDocument(double P50, double P95);

/// <summary>Milliseconds to list every repository and to read every repository's status.</summary>
internal sealed record FleetCatalogDocument(double List, double StatusAll);
