using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Graph;

/// <summary>The scoring half of the graph stage: attaches neighbours to the best hits and lets them into the ranking.</summary>
/// <remarks>
/// <para>
/// The <see cref="GraphStageOptions.ExpandTop"/> best candidates are expanded. Each gets its neighbours as
/// related code: one entry per neighbour symbol (its highest-share relation), never the hit's own symbol or
/// chunk, ordered by share, depth, path, line and name, capped at <see cref="GraphStageOptions.MaxRelatedPerHit"/>.
/// </para>
/// <para>
/// Each attached neighbour's chunks in another file than the parent's (any file with
/// <see cref="GraphStageOptions.BoostSameFile"/>) receive <c>share(relation) x decay^(depth-1) x parent score</c>, using
/// the parent's input score (one pass, so the order of parents does not matter). A chunk reached from several
/// parents takes the <b>maximum</b> contribution, not a sum or noisy-or: with shares at most 1 a neighbour
/// that was not a candidate then never scores above any parent it was reached from, however many parents
/// point at it. A neighbour that was already a candidate is boosted: its score becomes its own score plus
/// the contribution. Ties are broken by candidates before newcomers, then by the candidate's (or the parent's)
/// input rank, then by chunk id, so the result is deterministic. Thread-safe.
/// </para>
/// </remarks>
public static class GraphExpansion
{
    /// <summary>Runs the graph stage's scoring.</summary>
    /// <param name="candidates">Fused candidates, best first (re-sorted by score, stable; a repeated chunk id keeps its best entry).</param>
    /// <param name="neighbors">Neighbours of the expanded hits' symbols, as the store returned them with chunk ids resolved.</param>
    /// <param name="options">Shares and caps.</param>
    /// <returns>Candidates and neighbour newcomers, best first.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public static IReadOnlyList<GraphRankedHit> Expand(
        IReadOnlyList<GraphCandidate> candidates,
        IReadOnlyList<ResolvedNeighbor> neighbors,
        GraphStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(neighbors);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid graph stage options: " + string.Join(" ", errors), nameof(options));
        }

        var ranked = candidates
            .Select((c, i) => (Candidate: c, Index: i))
            .OrderByDescending(x => x.Candidate.Score)
            .ThenBy(x => x.Index)
            .Select(x => x.Candidate)
            .DistinctBy(c => c.ChunkId, StringComparer.Ordinal)
            .ToList();

        var bySymbol = new Dictionary<SymbolKey, List<ResolvedNeighbor>>();
        foreach (var n in neighbors)
        {
            if (!bySymbol.TryGetValue(n.Neighbor.From, out var list))
            {
                list = [];
                bySymbol.Add(n.Neighbor.From, list);
            }

            list.Add(n);
        }

        var candidateIds = new HashSet<string>(ranked.Select(c => c.ChunkId), StringComparer.Ordinal);

        var related = new IReadOnlyList<RelatedCode>[ranked.Count];
        var contributions = new Dictionary<string, Contribution>(StringComparer.Ordinal);
        var expand = Math.Min(options.ExpandTop, ranked.Count);
        for (var i = 0; i < expand; i++)
        {
            var hit = ranked[i];
            if (hit.Symbol is null || !bySymbol.TryGetValue(hit.Symbol, out var found))
            {
                continue;
            }

            var chosen = SelectRelated(hit, found, options);
            related[i] = chosen.ConvertAll(c => ToRelated(c.Neighbor.Neighbor));
            foreach (var c in chosen)
            {
                if (!options.BoostSameFile && SameFile(hit.Symbol, c.Neighbor.Neighbor.Neighbor))
                {
                    continue;
                }

                var contribution = c.Share * Math.Pow(options.DepthDecay, Math.Max(0, c.Neighbor.Neighbor.Depth - 1)) * hit.Score;
                if (contribution <= 0)
                {
                    continue;
                }

                foreach (var chunkId in c.Neighbor.ChunkIds)
                {
                    if (string.Equals(chunkId, hit.ChunkId, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // CGR: strictly greater keeps the earliest (best-ranked) parent on ties.
                    if (!contributions.TryGetValue(chunkId, out var existing) || contribution > existing.Value)
                    {
                        contributions[chunkId] = new Contribution(contribution, hit.ChunkId, i, c.Neighbor.Neighbor.Relation);
                    }
                }
            }
        }

        var rows = new List<Row>(ranked.Count + contributions.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var c = ranked[i];
            var scores = c.Scores is null
                ? new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.Rrf] = c.Score }
                : new Dictionary<string, double>(c.Scores, StringComparer.Ordinal);
            var score = c.Score;
            string? from = null;
            var by = GraphRelation.None;

            if (contributions.TryGetValue(c.ChunkId, out var boost))
            {
                scores[ScoreKeys.Graph] = boost.Value;
                score += boost.Value;
                from = boost.ParentChunkId;
                by = boost.Relation;
            }

            rows.Add(new Row(new GraphRankedHit(c.ChunkId, score, scores, related[i] ?? [], from, by, true), false, i));
        }

        foreach (var (chunkId, contribution) in contributions)
        {
            if (candidateIds.Contains(chunkId))
            {
                continue;
            }

            var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.Graph] = contribution.Value };
            rows.Add(new Row(
                new GraphRankedHit(chunkId, contribution.Value, scores, [], contribution.ParentChunkId, contribution.Relation, false),
                true,
                contribution.ParentRank));
        }

        rows.Sort(static (a, b) =>
        {
            var c = b.Hit.Score.CompareTo(a.Hit.Score);
            if (c != 0)
            {
                return c;
            }

            c = a.IsNewcomer.CompareTo(b.IsNewcomer);
            if (c != 0)
            {
                return c;
            }

            c = a.AnchorRank.CompareTo(b.AnchorRank);
            return c != 0 ? c : string.CompareOrdinal(a.Hit.ChunkId, b.Hit.ChunkId);
        });

        return rows.ConvertAll(r => r.Hit);
    }

    private static bool SameFile(SymbolKey a, SymbolKey b) =>
        string.Equals(a.Repository, b.Repository, StringComparison.Ordinal) && string.Equals(a.Path, b.Path, StringComparison.Ordinal);

    private static List<Choice> SelectRelated(GraphCandidate hit, List<ResolvedNeighbor> found, GraphStageOptions options)
    {
        var best = new Dictionary<SymbolKey, Choice>();
        foreach (var n in found)
        {
            var neighbor = n.Neighbor;
            if (neighbor.Neighbor == hit.Symbol || n.ChunkIds.Contains(hit.ChunkId, StringComparer.Ordinal))
            {
                continue;
            }

            var choice = new Choice(n, options.ShareOf(neighbor.Relation));
            if (!best.TryGetValue(neighbor.Neighbor, out var existing) || Compare(choice, existing) < 0)
            {
                best[neighbor.Neighbor] = choice;
            }
        }

        var list = best.Values.ToList();
        list.Sort(Compare);
        if (list.Count > options.MaxRelatedPerHit)
        {
            list.RemoveRange(options.MaxRelatedPerHit, list.Count - options.MaxRelatedPerHit);
        }

        return list;
    }

    private static int Compare(Choice a, Choice b)
    {
        var c = b.Share.CompareTo(a.Share);
        if (c != 0)
        {
            return c;
        }

        var x = a.Neighbor.Neighbor;
        var y = b.Neighbor.Neighbor;
        c = x.Depth.CompareTo(y.Depth);
        if (c == 0)
        {
            c = string.CompareOrdinal(x.Neighbor.Repository, y.Neighbor.Repository);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(x.Neighbor.Path, y.Neighbor.Path);
        }

        if (c == 0)
        {
            c = x.StartLine.CompareTo(y.StartLine);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(x.Neighbor.QualifiedName, y.Neighbor.QualifiedName);
        }

        return c != 0 ? c : ((int)x.Relation).CompareTo((int)y.Relation);
    }

    private static RelatedCode ToRelated(GraphNeighbor n) =>
        new(n.Relation, n.Neighbor.Repository, n.Neighbor.Path, n.Neighbor.QualifiedName, n.StartLine, n.EndLine);

    private sealed record Choice(ResolvedNeighbor Neighbor, double Share);

    private sealed record Contribution(double Value, string ParentChunkId, int ParentRank, GraphRelation Relation);

    private sealed record Row(GraphRankedHit Hit, bool IsNewcomer, int AnchorRank);
}
