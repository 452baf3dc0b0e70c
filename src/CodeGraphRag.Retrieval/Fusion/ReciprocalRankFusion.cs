using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Retrieval.Fusion;

/// <summary>Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009) of ranked chunk lists.</summary>
/// <remarks>
/// Each list is in rank order (best first); a chunk's fused score is the sum over the lists that hold it of
/// <c>weight / (k + rank)</c> with 1-based ranks. A chunk that appears twice in one list counts at its
/// first (best) rank. Ties are broken by the best rank in any list, then by the lower list index holding
/// that rank, then by chunk id (ordinal), so the output is deterministic. Thread-safe.
/// </remarks>
public static class ReciprocalRankFusion
{
    /// <summary>Fuses ranked lists into one ranking, best first.</summary>
    /// <param name="lists">Ranked lists, for example dense then lexical.</param>
    /// <param name="k">Rank constant, at least 0; larger values flatten the contribution of top ranks.</param>
    /// <param name="weights">One non-negative weight per list (null: all 1).</param>
    /// <returns>Every chunk of every list once, best first, with its per-list ranks and raw scores.</returns>
    /// <exception cref="ArgumentException">The weights do not match the lists, or a weight or <paramref name="k"/> is invalid.</exception>
    public static IReadOnlyList<FusedCandidate> Fuse(
        IReadOnlyList<IReadOnlyList<ScoredChunk>> lists,
        int k = SearchLimits.RrfK,
        IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (weights is not null)
        {
            if (weights.Count != lists.Count)
            {
                throw new ArgumentException($"Got {weights.Count} weights for {lists.Count} lists; give one weight per list.", nameof(weights));
            }

            foreach (var w in weights)
            {
                if (!double.IsFinite(w) || w < 0)
                {
                    throw new ArgumentException($"Weight {w} is invalid; weights must be finite and non-negative.", nameof(weights));
                }
            }
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var order = new List<Entry>();
        for (var li = 0; li < lists.Count; li++)
        {
            var list = lists[li];
            for (var r = 0; r < list.Count; r++)
            {
                var chunk = list[r];
                if (!entries.TryGetValue(chunk.ChunkId, out var entry))
                {
                    entry = new Entry(chunk.ChunkId, lists.Count);
                    entries.Add(chunk.ChunkId, entry);
                    order.Add(entry);
                }

                if (entry.Ranks[li] is null)
                {
                    entry.Ranks[li] = r + 1;
                    entry.RawScores[li] = chunk.Score;
                    if (r + 1 < entry.BestRank)
                    {
                        entry.BestRank = r + 1;
                        entry.BestList = li;
                    }
                }
            }
        }

        var result = new FusedCandidate[order.Count];
        var sortable = new (FusedCandidate Candidate, Entry Entry)[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            var e = order[i];
            var score = 0.0;

            // CGR: sum in list order so equal inputs give bit-identical scores.
            for (var li = 0; li < lists.Count; li++)
            {
                if (e.Ranks[li] is int rank)
                {
                    score += (weights?[li] ?? 1.0) / (k + rank);
                }
            }

            sortable[i] = (new FusedCandidate(e.ChunkId, score, e.Ranks, e.RawScores), e);
        }

        Array.Sort(sortable, static (a, b) =>
        {
            var c = b.Candidate.Score.CompareTo(a.Candidate.Score);
            if (c != 0)
            {
                return c;
            }

            c = a.Entry.BestRank.CompareTo(b.Entry.BestRank);
            if (c != 0)
            {
                return c;
            }

            c = a.Entry.BestList.CompareTo(b.Entry.BestList);
            return c != 0 ? c : string.CompareOrdinal(a.Candidate.ChunkId, b.Candidate.ChunkId);
        });

        for (var i = 0; i < sortable.Length; i++)
        {
            result[i] = sortable[i].Candidate;
        }

        return result;
    }

    private sealed class Entry(string chunkId, int lists)
    {
        public string ChunkId { get; } = chunkId;

        public int?[] Ranks { get; } = new int?[lists];

        public double?[] RawScores { get; } = new double?[lists];

        public int BestRank { get; set; } = int.MaxValue;

        public int BestList { get; set; } = int.MaxValue;
    }
}
