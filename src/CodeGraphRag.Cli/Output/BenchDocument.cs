using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>The <c>cgr bench --json</c> object: the sections that have a JSON form, then the machine.</summary>
/// <param name="Embedding">Embedding throughput per measured precision; absent when embedding was not measured.</param>
/// <param name="Agreement">Each non-fp32 precision's vectors against fp32's on the same chunks; absent unless fp32 and another precision were measured.</param>
/// <param name="MultiRepo">The multi-repository dense search section; absent when it was skipped (0 chunks).</param>
/// <param name="Machine">Where the benchmark ran.</param>
internal sealed record BenchDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EmbeddingBenchDocument>? Embedding,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, AgreementDocument>? Agreement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MultiRepoDocument? MultiRepo,
    BenchMachineDocument Machine);

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
