using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Graph;

/// <summary>Settings of the graph stage: which hits to expand and how much of a hit's score its neighbours get.</summary>
/// <remarks>
/// Fused RRF scores of neighbouring ranks differ by ~1e-4 while a top hit scores ~0.03, so the shares below move a
/// neighbour dozens of ranks: for long problem descriptions that lifts the file to change. A query shorter than
/// <see cref="LongQueryWords"/> words gets every share times <see cref="ShortQueryScale"/>, so for short code questions
/// the graph only breaks ties and does not bury the function asked for. The values and what they were chosen against
/// are in docs/benchmarks.md ("SWE-bench Lite, pytest-dev/pytest" and the CodeSearchNet sections).
/// </remarks>
public sealed class GraphStageOptions
{
    /// <summary>How many of the best hits are expanded.</summary>
    public int ExpandTop { get; set; } = 10;

    /// <summary>At most this many related symbols are attached to (and may enter the ranking from) one hit.</summary>
    public int MaxRelatedPerHit { get; set; } = 6;

    /// <summary>A call name with more candidate definitions than this is not resolved by name alone (passed to the store).</summary>
    public int MaxCandidatesPerName { get; set; } = 8;

    /// <summary>Share of the hit's score given to a function the hit calls.</summary>
    public double CalleeShare { get; set; } = 0.35;

    /// <summary>Share given to a function that calls the hit.</summary>
    public double CallerShare { get; set; } = 0.3;

    /// <summary>Share given to the enclosing type or module.</summary>
    public double ParentShare { get; set; } = 0.2;

    /// <summary>Share given to a base type or implemented interface.</summary>
    public double BaseTypeShare { get; set; } = 0.2;

    /// <summary>Share given to a derived or implementing type.</summary>
    public double DerivedTypeShare { get; set; } = 0.15;

    /// <summary>Share given to a file the hit's file imports.</summary>
    public double ImportsShare { get; set; } = 0.1;

    /// <summary>
    /// When false, a neighbour in the same file as the hit it was reached from gets no score from it (it is still
    /// attached as related code); neighbours in other files are boosted by their share. Default true (both settings are
    /// measured in docs/benchmarks.md).
    /// </summary>
    public bool BoostSameFile { get; set; } = true;

    /// <summary>Queries with at least this many words (a problem description, an issue text) use the shares as set.</summary>
    public int LongQueryWords { get; set; } = 40;

    /// <summary>Factor on every share for queries shorter than <see cref="LongQueryWords"/> words (short code questions).</summary>
    public double ShortQueryScale { get; set; } = 0.03;

    /// <summary>Whether <paramref name="query"/> has at least <see cref="LongQueryWords"/> whitespace-separated words.</summary>
    /// <param name="query">The query text (filters removed).</param>
    /// <returns>True for a problem description or issue text, false for a short code question.</returns>
    public bool IsLongQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = 0;
        var inWord = false;
        foreach (var c in query)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord && ++words >= LongQueryWords)
            {
                return true;
            }

            inWord = !space;
        }

        return words >= LongQueryWords;
    }

    /// <summary>
    /// The settings for one query, classified by <see cref="IsLongQuery"/>: this instance for a long query, else a copy with
    /// every share times <see cref="ShortQueryScale"/>.
    /// </summary>
    /// <param name="longQuery">Whether the query is long.</param>
    /// <returns>Settings to pass to <see cref="GraphExpansion.Expand"/>.</returns>
    public GraphStageOptions ForQuery(bool longQuery)
    {
        if (longQuery)
        {
            return this;
        }

        var scaled = (GraphStageOptions)MemberwiseClone();
        scaled.CalleeShare *= ShortQueryScale;
        scaled.CallerShare *= ShortQueryScale;
        scaled.ParentShare *= ShortQueryScale;
        scaled.BaseTypeShare *= ShortQueryScale;
        scaled.DerivedTypeShare *= ShortQueryScale;
        scaled.ImportsShare *= ShortQueryScale;
        return scaled;
    }

    /// <summary>Factor applied per hop beyond the first (a neighbour at depth d gets share x decay^(d-1)).</summary>
    public double DepthDecay { get; set; } = 0.5;

    /// <summary>The share for one relation; for a combination of flags, the largest of their shares.</summary>
    /// <param name="relation">The relation.</param>
    /// <returns>A value in [0, 1].</returns>
    public double ShareOf(GraphRelation relation)
    {
        var share = 0.0;
        if (relation.HasFlag(GraphRelation.Callee))
        {
            share = Math.Max(share, CalleeShare);
        }

        if (relation.HasFlag(GraphRelation.Caller))
        {
            share = Math.Max(share, CallerShare);
        }

        if (relation.HasFlag(GraphRelation.Parent))
        {
            share = Math.Max(share, ParentShare);
        }

        if (relation.HasFlag(GraphRelation.BaseType))
        {
            share = Math.Max(share, BaseTypeShare);
        }

        if (relation.HasFlag(GraphRelation.DerivedType))
        {
            share = Math.Max(share, DerivedTypeShare);
        }

        if (relation.HasFlag(GraphRelation.Imports))
        {
            share = Math.Max(share, ImportsShare);
        }

        return share;
    }

    /// <summary>The neighbour query the store should run for these settings.</summary>
    /// <param name="repositories">Repositories the caller may read (null: all).</param>
    /// <param name="relations">Relations to follow.</param>
    /// <returns>A depth-1 query capped at <see cref="MaxRelatedPerHit"/> per relation.</returns>
    public NeighborQuery ToNeighborQuery(IReadOnlyList<string>? repositories, GraphRelation relations = GraphRelation.All) =>
        new(relations, MaxRelatedPerHit, MaxCandidatesPerName, repositories);

    /// <summary>Problems with the current values, each naming the property; empty when valid.</summary>
    /// <returns>One message per invalid property.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ExpandTop < 0)
        {
            errors.Add($"{nameof(ExpandTop)} must be >= 0 (got {ExpandTop}).");
        }

        if (MaxRelatedPerHit < 0)
        {
            errors.Add($"{nameof(MaxRelatedPerHit)} must be >= 0 (got {MaxRelatedPerHit}).");
        }

        if (MaxCandidatesPerName < 1)
        {
            errors.Add($"{nameof(MaxCandidatesPerName)} must be >= 1 (got {MaxCandidatesPerName}).");
        }

        CheckUnit(errors, nameof(CalleeShare), CalleeShare);
        CheckUnit(errors, nameof(CallerShare), CallerShare);
        CheckUnit(errors, nameof(ParentShare), ParentShare);
        CheckUnit(errors, nameof(BaseTypeShare), BaseTypeShare);
        CheckUnit(errors, nameof(DerivedTypeShare), DerivedTypeShare);
        CheckUnit(errors, nameof(ImportsShare), ImportsShare);
        CheckUnit(errors, nameof(DepthDecay), DepthDecay);
        CheckUnit(errors, nameof(ShortQueryScale), ShortQueryScale);
        if (LongQueryWords < 0)
        {
            errors.Add($"{nameof(LongQueryWords)} must be >= 0 (got {LongQueryWords}).");
        }

        return errors;
    }

    private static void CheckUnit(List<string> errors, string name, double value)
    {
        if (!(value is >= 0 and <= 1))
        {
            errors.Add($"{name} must be between 0 and 1 (got {value}).");
        }
    }
}
