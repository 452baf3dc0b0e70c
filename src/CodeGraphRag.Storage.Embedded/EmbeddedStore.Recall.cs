using CodeGraphRag.Storage.Embedded.Internals;

namespace CodeGraphRag.Storage.Embedded;

/// <content>ANN quality measurement against exact search, for tests and <c>cgr bench</c>.</content>
public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Builds an ANN index over <paramref name="vectors"/> with the given HNSW settings and returns the mean recall@<paramref name="k"/>
    /// of its answers to <paramref name="queries"/> against exact cosine search (1.0 = identical top-k sets).
    /// </summary>
    /// <remarks><paramref name="threads"/> build the index (0: one per processor, as the store builds it). With one thread
    /// the build, and so the figure, is the same on every run. <paramref name="precision"/> is how the index holds its
    /// vectors; the truth is always exact f32 search.</remarks>
    public static double MeasureAnnRecall(
        IReadOnlyList<float[]> vectors,
        IReadOnlyList<float[]> queries,
        int k = 10,
        int connectivity = 16,
        int expansionAdd = 64,
        int expansionSearch = 1024,
        int threads = 0,
        AnnVectorPrecision precision = AnnVectorPrecision.F32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(queries);
        if (vectors.Count == 0 || queries.Count == 0 || k <= 0)
        {
            return 1.0;
        }

        var dimensions = vectors[0].Length;
        var exact = new ExactVectorSet(dimensions, vectors.Count);
        for (var i = 0; i < vectors.Count; i++)
        {
            exact.Upsert((ulong)i, vectors[i]);
        }

        using var ann = AnnIndex.Create(dimensions, connectivity, expansionAdd, expansionSearch, precision);
        _ = ann.AddMany(exact.Keys.ToArray(), exact.RawMatrix, threads == 0 ? Environment.ProcessorCount : threads);
        double total = 0;
        foreach (var query in queries)
        {
            var unit = VectorCodec.Normalized(query);
            var truth = exact.Search(unit, k).Select(r => r.Key).ToHashSet();
            var (keys, _) = ann.Search(unit, k);
            total += (double)keys.Count(truth.Contains) / Math.Max(1, truth.Count);
        }

        return total / queries.Count;
    }

    /// <summary>
    /// Recall@<paramref name="k"/> of the configured ANN settings on the stored vectors of the configured model, with
    /// <paramref name="queryCount"/> queries made by averaging two random stored vectors (seeded by <paramref name="seed"/>),
    /// on an index built by <paramref name="threads"/> threads holding its vectors as <paramref name="precision"/> (null: the
    /// configured <see cref="EmbeddedStorageOptions.AnnPrecision"/>; see <see cref="MeasureAnnRecall"/>).
    /// </summary>
    public Task<double> MeasureAnnRecallAsync(
        int queryCount = 200, int k = 10, int seed = 42, int threads = 0, AnnVectorPrecision? precision = null, CancellationToken cancellationToken = default) =>
        RunAsync("MeasureAnnRecall", cancellationToken, () =>
        {
            var vectors = new List<float[]>();
            using (var connection = OpenConnection())
            using (var command = Command(connection, null, "SELECT vector FROM vectors WHERE model_id = $m ORDER BY chunk_id", ("$m", _options.ModelId)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    vectors.Add(VectorCodec.FromBlob((byte[])reader.GetValue(0)));
                }
            }

            if (vectors.Count == 0)
            {
                return 1.0;
            }

            var random = new Random(seed);
            var queries = new List<float[]>(queryCount);
            for (var i = 0; i < queryCount; i++)
            {
                var a = vectors[random.Next(vectors.Count)];
                var b = vectors[random.Next(vectors.Count)];
                queries.Add(a.Zip(b, (x, y) => x + y).ToArray());
            }

            return MeasureAnnRecall(
                vectors, queries, k, _options.AnnConnectivity, _options.AnnExpansionAdd, _options.AnnExpansionSearch, threads, precision ?? _options.AnnPrecision);
        });
}
