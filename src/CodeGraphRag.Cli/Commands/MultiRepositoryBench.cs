using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Storage.Embedded;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// The multi-repository part of <c>cgr bench</c>: one throwaway store holding six repositories of synthetic 384-d
/// vectors (clustered, so neighbours are meaningful), then dense queries over the whole store and scoped to one large
/// repository, a small one and an ACL list of several, each timed through <see cref="EmbeddedStore.SearchDenseAsync"/>
/// and scored as recall@10 against brute force over the vectors the bench wrote; with the configured crossover and
/// with each filtered strategy forced (<see cref="EmbeddedStorageOptions.FilteredExactSearchThreshold"/>).
/// </summary>
internal static class MultiRepositoryBench
{
    /// <summary>Default store size: above the 20k exact-search threshold, like the six-repository store of issue 12.</summary>
    public const int DefaultChunks = 28_000;

    private const int Dimensions = 384;
    private const int K = 10;
    private const int ChunksPerFile = 200;
    private const int Centroids = 256;
    private const int WarmupQueries = 5;

    // Shares of the store per repository: the largest holds about half of it (13.4k of 28k in the measured store).
    private static readonly (string Name, double Share)[] Repositories =
        [("repo-a", 0.48), ("repo-b", 0.21), ("repo-c", 0.14), ("repo-d", 0.09), ("repo-e", 0.05), ("repo-f", 0.03)];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs the benchmark, writes one line per scope and returns the <c>multi_repo</c> JSON section.</summary>
    public static async Task<MultiRepoDocument> RunAsync(string workDirectory, int totalChunks, int queryCount, TextWriter stdout, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(workDirectory, "multi-repo");
        Directory.CreateDirectory(directory);
        var options = new EmbeddedStorageOptions { DataDirectory = directory, ModelId = "bench-multi-repo@1", Dimensions = Dimensions };
        var random = new Random(11);
        var centroids = Enumerable.Range(0, Centroids).Select(_ => RandomUnit(random, null, 0)).ToArray();
        var vectors = new Dictionary<string, (string Repository, float[] Vector)>(StringComparer.Ordinal);
        var written = Stopwatch.StartNew();
        await using (var writer = new EmbeddedStore(options))
        {
            foreach (var (repository, share) in Repositories)
            {
                var count = Math.Max(1, (int)(totalChunks * share));
                for (var file = 0; file * ChunksPerFile < count; file++)
                {
                    var update = SyntheticFile(repository, file, Math.Min(ChunksPerFile, count - (file * ChunksPerFile)), random, centroids);
                    foreach (var (id, vector) in update.Vectors)
                    {
                        vectors[id] = (repository, vector);
                    }

                    await writer.ApplyFileAsync(update, cancellationToken);
                }
            }

            await writer.FlushAsync(cancellationToken);
        }

        var writeSeconds = written.Elapsed.TotalSeconds;
        var sizes = vectors.Values.GroupBy(v => v.Repository).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var queries = Enumerable.Range(0, queryCount + WarmupQueries).Select(_ => RandomUnit(random, centroids[random.Next(Centroids)], 0.5f)).ToList();
        var strategies = new Dictionary<string, IReadOnlyDictionary<string, MultiRepoScopeDocument>>(StringComparer.Ordinal);
        var usesAnn = false;
        var reopenMs = 0.0;

        // The configured crossover, then each strategy forced for every filter (exact over admitted vectors in memory, and
        // the ANN index searched with the filter), so one run shows where the crossover belongs.
        foreach (var (strategy, filteredExactThreshold) in new[] { ("default", new EmbeddedStorageOptions().FilteredExactSearchThreshold), ("exact_in_memory", int.MaxValue), ("ann_filtered", 0) })
        {
            var opened = Stopwatch.StartNew();
            await using var store = new EmbeddedStore(new EmbeddedStorageOptions
            {
                DataDirectory = directory,
                ModelId = options.ModelId,
                Dimensions = Dimensions,
                ReadOnly = true,
                FilteredExactSearchThreshold = filteredExactThreshold,
            });
            await store.FlushAsync(cancellationToken);
            var openMs = opened.Elapsed.TotalMilliseconds;
            if (strategy == "default")
            {
                stdout.WriteLine(string.Create(Inv,
                    $"multi-repo store: {vectors.Count} chunks ({Dimensions}-d synthetic clustered vectors) in {Repositories.Length} repositories ({string.Join(", ", Repositories.Select(r => $"{r.Name} {sizes[r.Name]}"))}), written in {writeSeconds:F1}s, reopened read-only in {openMs:F0} ms; {(store.UsesAnnIndex ? "ANN" : "exact")} dense search"));
                usesAnn = store.UsesAnnIndex;
                reopenMs = Math.Round(openMs, 1);
            }

            strategies[strategy] = await MeasureScopesAsync(store, strategy, vectors, queries, queryCount, stdout, cancellationToken);
        }

        return new MultiRepoDocument(
            vectors.Count, Dimensions, Repositories.ToDictionary(r => r.Name, r => sizes[r.Name], StringComparer.Ordinal), Math.Round(writeSeconds, 2),
            usesAnn, reopenMs, strategies["default"], strategies["exact_in_memory"], strategies["ann_filtered"]);
    }

    private static async Task<Dictionary<string, MultiRepoScopeDocument>> MeasureScopesAsync(
        EmbeddedStore store, string strategy, Dictionary<string, (string Repository, float[] Vector)> vectors, List<float[]> queries, int queryCount, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        var scopes = new (string Name, string[]? Repositories)[]
        {
            ("all", null),
            ("one_large_repo", [Repositories[0].Name]),
            ("one_small_repo", [Repositories[4].Name]),
            ("acl_list", [Repositories[1].Name, Repositories[3].Name, Repositories[5].Name]),
        };
        // Warm-up over every scope until the query path runs tiered-up code (at least two rounds and one second); the
        // store caches the admitted keys of one filter, so each measured scope below still starts with a reload.
        var warmup = Stopwatch.StartNew();
        for (var round = 0; round < 2 || warmup.Elapsed < TimeSpan.FromSeconds(1); round++)
        {
            foreach (var (_, repositories) in scopes)
            {
                foreach (var query in queries.Take(WarmupQueries))
                {
                    _ = await store.SearchDenseAsync(query, K, new ChunkFilter(repositories, null, null), cancellationToken);
                }
            }
        }

        var result = new Dictionary<string, MultiRepoScopeDocument>(StringComparer.Ordinal);
        foreach (var (name, repositories) in scopes)
        {
            var admitted = vectors.Where(v => repositories is null || repositories.Contains(v.Value.Repository)).ToList();
            var filter = new ChunkFilter(repositories, null, null);

            // The first query of a filter also loads its admitted keys (and, for exact search, their vectors): what a
            // query pays after every commit.
            var first = Stopwatch.StartNew();
            _ = await store.SearchDenseAsync(queries[0], K, filter, cancellationToken);
            var firstMs = first.Elapsed.TotalMilliseconds;

            var latencies = new List<TimeSpan>(queryCount);
            double recall = 0;
            foreach (var query in queries.Skip(WarmupQueries))
            {
                var clock = Stopwatch.StartNew();
                var hits = await store.SearchDenseAsync(query, K, filter, cancellationToken);
                latencies.Add(clock.Elapsed);
                var truth = admitted.Select(v => (v.Key, Score: TensorPrimitives.Dot(query, v.Value.Vector)))
                    .OrderByDescending(v => v.Score).Take(K).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
                recall += (double)hits.Count(h => truth.Contains(h.ChunkId)) / Math.Max(1, truth.Count);
            }

            recall /= queryCount;
            var l = RetrievalMetrics.Latency(latencies);
            var label = repositories is null ? "unfiltered" : string.Join(",", repositories);
            stdout.WriteLine(string.Create(Inv,
                $"multi-repo dense {strategy,-15} {name,-14} ({label}: {admitted.Count} chunks) p50 {l.P50Ms:F1} ms, p95 {l.P95Ms:F1} ms over {l.Count} queries (first {firstMs:F1} ms), recall@{K} vs exact {recall:F4}"));
            result[name] = new MultiRepoScopeDocument(
                repositories, admitted.Count, l.Count, Math.Round(l.P50Ms, 2), Math.Round(l.P95Ms, 2), Math.Round(firstMs, 2), Math.Round(recall, 4));
        }

        return result;
    }

    private static FileUpdate SyntheticFile(string repository, int fileNumber, int chunkCount, Random random, float[][] centroids)
    {
        var path = string.Create(Inv, $"src/module{fileNumber:D4}.py");
        var chunks = new List<ChunkRecord>(chunkCount);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < chunkCount; i++)
        {
            var text = string.Create(Inv, $"def function_{fileNumber}_{i}(value):\n    return value + {i}\n");
            var hash = ChunkIds.Hash(text);
            var id = ChunkIds.ChunkId(repository, path, hash, 0);
            chunks.Add(new ChunkRecord(id, repository, path, "python", string.Create(Inv, $"function_{fileNumber}_{i}"), ChunkKind.Function,
                (i * 3) + 1, (i * 3) + 2, text, hash, ChunkIds.Hash(repository + path + text), text.Replace('_', ' '), null));
            vectors[id] = RandomUnit(random, centroids[random.Next(centroids.Length)], 0.7f);
        }

        var file = new FileRecord(repository, path, "python", ChunkIds.Hash(path), chunkCount * 40, "bench", FileStatus.Indexed, null, chunkCount);
        return new FileUpdate(file, chunks, vectors, FileGraph.Empty);
    }

    /// <summary>A unit vector: <paramref name="center"/> plus Gaussian noise of <paramref name="spread"/> per unit length, or a uniform direction.</summary>
    private static float[] RandomUnit(Random random, float[]? center, float spread)
    {
        var vector = new float[Dimensions];
        var noise = center is null ? 1f : spread / MathF.Sqrt(Dimensions);
        for (var i = 0; i < Dimensions; i++)
        {
            var gaussian = MathF.Sqrt(-2f * MathF.Log(1f - random.NextSingle())) * MathF.Cos(2f * MathF.PI * random.NextSingle());
            vector[i] = (center?[i] ?? 0f) + (noise * gaussian);
        }

        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }
}
