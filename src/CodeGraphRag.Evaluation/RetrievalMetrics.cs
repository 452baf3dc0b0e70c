namespace CodeGraphRag.Evaluation;

/// <summary>Ranking metrics: hit@1/5/10, recall@k, MRR and nDCG@k, at file or span level, and their aggregation.</summary>
/// <remarks>
/// <para>
/// File level (<see cref="Compute"/>): the ranking is a list of files, best first, normally from
/// <see cref="CollapseToFiles"/> (a file ranks at its best chunk); repeats are ignored. A gold file is
/// relevant when any of its items is relevant; its gain is the largest gain among its relevant items.
/// </para>
/// <para>
/// Span level (<see cref="ComputeSpans"/>): the ranking is the chunk list; a relevant gold item is found at
/// the first chunk of the same file whose lines overlap its span (any chunk of the file when the item has
/// no span). For nDCG each chunk is credited with the largest gain among the items it finds first.
/// </para>
/// <para>
/// Gains are linear (the grade, or 1 without grades). Paths are compared after <see cref="NormalizePath"/>,
/// case-sensitively. MRR looks at the whole ranking; recall and nDCG stop at k. Thread-safe.
/// </para>
/// </remarks>
public static class RetrievalMetrics
{
    /// <summary>The usual cut-off.</summary>
    public const int DefaultK = 10;

    /// <summary>A path in the form gold and rankings are compared in: <c>/</c> separators, no leading <c>./</c> or <c>/</c>.</summary>
    /// <param name="path">A repository-relative path.</param>
    /// <returns>The normalised path.</returns>
    public static string NormalizePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var p = path.Trim().Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p.TrimStart('/');
    }

    /// <summary>Collapses a ranked chunk list to ranked unique files (each file at its best chunk).</summary>
    /// <param name="rankedChunkPaths">The path of each chunk, best first.</param>
    /// <returns>Normalised paths in order of first appearance.</returns>
    public static IReadOnlyList<string> CollapseToFiles(IEnumerable<string> rankedChunkPaths)
    {
        ArgumentNullException.ThrowIfNull(rankedChunkPaths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var path in rankedChunkPaths)
        {
            var p = NormalizePath(path);
            if (seen.Add(p))
            {
                files.Add(p);
            }
        }

        return files;
    }

    /// <summary>Keeps only the files that were judged (present in the gold with any grade), for judged-only metrics.</summary>
    /// <param name="rankedFiles">Files, best first.</param>
    /// <param name="gold">The query's judged items.</param>
    /// <returns>The judged files in their order.</returns>
    public static IReadOnlyList<string> JudgedOnly(IReadOnlyList<string> rankedFiles, IReadOnlyList<GoldItem> gold)
    {
        ArgumentNullException.ThrowIfNull(rankedFiles);
        ArgumentNullException.ThrowIfNull(gold);
        var judged = new HashSet<string>(gold.Select(g => NormalizePath(g.Path)), StringComparer.Ordinal);
        return CollapseToFiles(rankedFiles).Where(judged.Contains).ToList();
    }

    /// <summary>File-level metrics of one query.</summary>
    /// <param name="rankedFiles">Retrieved files, best first (repeats are ignored).</param>
    /// <param name="gold">The query's judged items.</param>
    /// <param name="k">Cut-off for recall and nDCG.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The gold holds no relevant item.</exception>
    public static QueryMetrics Compute(IReadOnlyList<string> rankedFiles, IReadOnlyList<GoldItem> gold, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(rankedFiles);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        // CGR: path -> largest relevant gain, in gold order.
        var gains = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var g in gold.Where(g => g.IsRelevant))
        {
            var p = NormalizePath(g.Path);
            if (gains.TryGetValue(p, out var existing))
            {
                gains[p] = Math.Max(existing, g.Gain);
            }
            else
            {
                gains.Add(p, g.Gain);
                order.Add(p);
            }
        }

        RequireRelevant(order.Count, gold);
        var files = CollapseToFiles(rankedFiles);
        var rankOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            if (gains.ContainsKey(files[i]))
            {
                rankOf.TryAdd(files[i], i + 1);
            }
        }

        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, files.Count); i++)
        {
            if (gains.TryGetValue(files[i], out var gain))
            {
                dcg += gain / Math.Log2(i + 2);
            }
        }

        var ranks = order.ConvertAll(p => new GoldRank(p, rankOf.TryGetValue(p, out var r) ? r : null));
        return Build(k, ranks, dcg, order.ConvertAll(p => gains[p]));
    }

    /// <summary>Span-level (function-level) metrics of one query.</summary>
    /// <param name="rankedChunks">Retrieved chunks, best first.</param>
    /// <param name="gold">The query's judged items.</param>
    /// <param name="k">Cut-off for recall and nDCG.</param>
    /// <returns>The metrics; gold ranks are named <c>path:start-end</c> (or the path for whole-file items).</returns>
    /// <exception cref="ArgumentException">The gold holds no relevant item.</exception>
    public static QueryMetrics ComputeSpans(IReadOnlyList<RankedSpan> rankedChunks, IReadOnlyList<GoldItem> gold, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(rankedChunks);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var items = gold.Where(g => g.IsRelevant).Select(g => g with { Path = NormalizePath(g.Path) }).ToList();
        RequireRelevant(items.Count, gold);

        var found = new int?[items.Count];
        var dcg = 0.0;
        for (var i = 0; i < rankedChunks.Count; i++)
        {
            var chunk = rankedChunks[i];
            var path = NormalizePath(chunk.Path);
            var best = 0.0;
            for (var j = 0; j < items.Count; j++)
            {
                var g = items[j];
                if (found[j] is null && string.Equals(g.Path, path, StringComparison.Ordinal)
                    && (g.StartLine is null || (chunk.StartLine <= g.EndLine && chunk.EndLine >= g.StartLine)))
                {
                    found[j] = i + 1;
                    best = Math.Max(best, g.Gain);
                }
            }

            if (i < k)
            {
                dcg += best / Math.Log2(i + 2);
            }
        }

        var ranks = items.Select((g, j) => new GoldRank(g.StartLine is null ? g.Path : $"{g.Path}:{g.StartLine}-{g.EndLine}", found[j])).ToList();
        return Build(k, ranks, dcg, items.ConvertAll(g => g.Gain));
    }

    /// <summary>Means over queries.</summary>
    /// <param name="perQuery">Per-query metrics, all with the same k.</param>
    /// <returns>The means (all 0 for an empty list).</returns>
    public static MetricsSummary Aggregate(IReadOnlyList<QueryMetrics> perQuery)
    {
        ArgumentNullException.ThrowIfNull(perQuery);
        if (perQuery.Count == 0)
        {
            return new MetricsSummary(0, DefaultK, 0, 0, 0, 0, 0, 0);
        }

        return new MetricsSummary(
            perQuery.Count,
            perQuery[0].K,
            perQuery.Average(m => m.HitAt1),
            perQuery.Average(m => m.HitAt5),
            perQuery.Average(m => m.HitAt10),
            perQuery.Average(m => m.RecallAtK),
            perQuery.Average(m => m.Mrr),
            perQuery.Average(m => m.NdcgAtK));
    }

    /// <summary>Latency percentiles by the nearest-rank method (the smallest sample with at least p% of samples at or below it).</summary>
    /// <param name="durations">One duration per query.</param>
    /// <returns>Count, p50, p95 and mean in milliseconds (all 0 for no samples).</returns>
    public static LatencySummary Latency(IReadOnlyList<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        if (durations.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        var ms = durations.Select(d => d.TotalMilliseconds).Order().ToArray();
        return new LatencySummary(ms.Length, NearestRank(ms, 50), NearestRank(ms, 95), ms.Average());
    }

    private static double NearestRank(double[] sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static void RequireRelevant(int count, IReadOnlyList<GoldItem> gold)
    {
        if (count == 0)
        {
            throw new ArgumentException($"The query has no relevant gold item among {gold.Count}; metrics are undefined (leave such queries out).", nameof(gold));
        }
    }

    private static QueryMetrics Build(int k, List<GoldRank> ranks, double dcg, List<double> gains)
    {
        int? first = null;
        var inK = 0;
        foreach (var r in ranks)
        {
            if (r.Rank is int rank)
            {
                first = first is null ? rank : Math.Min(first.Value, rank);
                if (rank <= k)
                {
                    inK++;
                }
            }
        }

        gains.Sort((a, b) => b.CompareTo(a));
        var idcg = 0.0;
        for (var i = 0; i < Math.Min(k, gains.Count); i++)
        {
            idcg += gains[i] / Math.Log2(i + 2);
        }

        return new QueryMetrics(
            k,
            first <= 1 ? 1 : 0,
            first <= 5 ? 1 : 0,
            first <= 10 ? 1 : 0,
            (double)inK / ranks.Count,
            first is int f ? 1.0 / f : 0,
            idcg > 0 ? dcg / idcg : 0,
            ranks);
    }
}
