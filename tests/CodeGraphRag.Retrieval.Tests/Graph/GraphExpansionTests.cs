using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.TestInfrastructure;
using CsCheck;

namespace CodeGraphRag.Retrieval.Tests.Graph;

[Trait("Category", TestCategories.Unit)]
public sealed class GraphExpansionTests
{
    private static SymbolKey Sym(string name) => new("repo", $"src/{name}.py", name);

    private static string ChunkOf(string name) => $"chunk-{name}";

    private static GraphCandidate Hit(string name, double score) => new(ChunkOf(name), score, Sym(name));

    private static ResolvedNeighbor Edge(string from, GraphRelation relation, string to, int depth = 1) =>
        new(new GraphNeighbor(Sym(from), relation, Sym(to), SymbolKind.Function, 1, 5, depth), [ChunkOf(to)]);

    [Fact]
    public void Expand_CalleeOfTopHit_EntersAtItsShareOfParentScore()
    {
        var options = Mechanism();
        var hits = new[] { Hit("a", 1.0), Hit("b", 0.5) };

        var result = GraphExpansion.Expand(hits, [Edge("a", GraphRelation.Callee, "helper")], options);

        Assert.Equal([ChunkOf("a"), ChunkOf("b"), ChunkOf("helper")], result.Select(r => r.ChunkId));
        var helper = result[2];
        Assert.False(helper.IsCandidate);
        Assert.Equal(0.35, helper.Score, 12);
        Assert.Equal(0.35, helper.Scores[ScoreKeys.Graph], 12);
        Assert.Equal(ChunkOf("a"), helper.ReachedFrom);
        Assert.Equal(GraphRelation.Callee, helper.ReachedBy);
        var related = Assert.Single(result[0].Related);
        Assert.Equal(GraphRelation.Callee, related.Relation);
        Assert.Equal("helper", related.Symbol);
        Assert.Equal("src/helper.py", related.Path);
        Assert.Equal(1.0, result[0].Scores[ScoreKeys.Rrf], 12);
    }

    [Fact]
    public void Expand_NeighbourThatIsAlsoAHit_IsBoostedAboveItsOwnScore()
    {
        var hits = new[] { Hit("a", 1.0), Hit("b", 0.2), Hit("c", 0.3) };

        var result = GraphExpansion.Expand(hits, [Edge("a", GraphRelation.Caller, "b")], Mechanism());

        Assert.Equal([ChunkOf("a"), ChunkOf("b"), ChunkOf("c")], result.Select(r => r.ChunkId));
        Assert.Equal(0.2 + 0.3, result[1].Score, 12);
        Assert.Equal(0.2, result[1].Scores[ScoreKeys.Rrf], 12);
        Assert.Equal(0.3, result[1].Scores[ScoreKeys.Graph], 12);
        Assert.True(result[1].IsCandidate);
    }

    [Fact]
    public void Expand_NeighbourOfSeveralParents_TakesTheMaximumNotTheSum()
    {
        var hits = new[] { Hit("a", 1.0), Hit("b", 0.9) };
        var edges = new[] { Edge("a", GraphRelation.Imports, "shared"), Edge("b", GraphRelation.Callee, "shared") };

        var result = GraphExpansion.Expand(hits, edges, Mechanism());

        var shared = result.Single(r => r.ChunkId == ChunkOf("shared"));
        Assert.Equal(0.9 * 0.35, shared.Score, 12);
        Assert.Equal(ChunkOf("b"), shared.ReachedFrom);
    }

    [Fact]
    public void Expand_SelfLoopAndFullShare_NeverListsSelfAndParentStaysFirst()
    {
        var options = Mechanism(o => { o.CalleeShare = 1.0; });
        var hits = new[] { Hit("rec", 1.0) };
        var edges = new[] { Edge("rec", GraphRelation.Callee, "rec"), Edge("rec", GraphRelation.Callee, "other") };

        var result = GraphExpansion.Expand(hits, edges, options);

        Assert.Equal([ChunkOf("rec"), ChunkOf("other")], result.Select(r => r.ChunkId));
        Assert.Equal(result[0].Score, result[1].Score);
        Assert.DoesNotContain(result[0].Related, r => r.Symbol == "rec");
    }

    [Fact]
    public void Expand_BeyondExpandTop_NoRelatedAndNoNewcomers()
    {
        var options = Mechanism(o => { o.ExpandTop = 1; });
        var hits = new[] { Hit("a", 1.0), Hit("b", 0.5) };

        var result = GraphExpansion.Expand(hits, [Edge("b", GraphRelation.Callee, "x")], options);

        Assert.Equal(2, result.Count);
        Assert.Empty(result[1].Related);
    }

    [Fact]
    public void Expand_ManyNeighbours_CapsRelatedByShareThenName()
    {
        var options = Mechanism(o => { o.MaxRelatedPerHit = 2; });
        var edges = new[]
        {
            Edge("a", GraphRelation.Imports, "i1"),
            Edge("a", GraphRelation.Caller, "z"),
            Edge("a", GraphRelation.Callee, "y"),
            Edge("a", GraphRelation.Callee, "x"),
        };

        var result = GraphExpansion.Expand([Hit("a", 1.0)], edges, options);

        Assert.Equal(["x", "y"], result[0].Related.Select(r => r.Symbol));
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Expand_DeeperNeighbour_IsDecayed()
    {
        var result = GraphExpansion.Expand([Hit("a", 1.0)], [Edge("a", GraphRelation.Callee, "deep", depth: 2)], Mechanism());

        Assert.Equal(0.35 * 0.5, result[1].Score, 12);
    }

    [Fact]
    public void Expand_InvalidOptions_ThrowsNamingTheProperty()
    {
        var ex = Assert.Throws<ArgumentException>(() => GraphExpansion.Expand([], [], new GraphStageOptions { CallerShare = 1.5 }));

        Assert.Contains(nameof(GraphStageOptions.CallerShare), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_RandomGraphs_HoldsInvariants()
    {
        var names = Enumerable.Range(0, 12).Select(i => $"s{i}").ToArray();
        var relations = new[] { GraphRelation.Caller, GraphRelation.Callee, GraphRelation.Parent, GraphRelation.Imports, GraphRelation.BaseType, GraphRelation.DerivedType };
        var genHits = Gen.Select(Gen.Int[0, 11], Gen.Double[0.01, 1.0]).List[1, 10];
        var genEdges = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 5], Gen.Int[0, 11], Gen.Int[1, 2]).List[0, 40];
        var options = Mechanism(o => { o.ExpandTop = 5; o.MaxRelatedPerHit = 3; });

        Gen.Select(genHits, genEdges, Gen.Int).Sample((hitSpec, edgeSpec, seed) =>
        {
            var hits = hitSpec.DistinctBy(h => h.Item1).Select(h => Hit(names[h.Item1], h.Item2)).ToList();
            var edges = edgeSpec.Select(e => Edge(names[e.Item1], relations[e.Item2], names[e.Item3], e.Item4)).ToList();
            var shuffled = edges.OrderBy(_ => new Random(seed).Next()).ToList();

            var result = GraphExpansion.Expand(hits, edges, options);
            var again = GraphExpansion.Expand(hits, shuffled, options);

            var byId = result.ToDictionary(r => r.ChunkId);
            var input = hits.ToDictionary(h => h.ChunkId, h => h.Score);
            Assert.Equal(result.Select(r => (r.ChunkId, r.Score)), again.Select(r => (r.ChunkId, r.Score)));
            Assert.Equal(hits.Count, result.Count(r => r.IsCandidate));
            Assert.True(result.Zip(result.Skip(1)).All(p => p.First.Score >= p.Second.Score));
            foreach (var r in result)
            {
                Assert.True(r.Related.Count <= options.MaxRelatedPerHit);
                Assert.DoesNotContain(r.Related, rel => ChunkOf(rel.Symbol) == r.ChunkId);
                if (!r.IsCandidate)
                {
                    Assert.NotNull(r.ReachedFrom);
                    Assert.True(r.Score <= input[r.ReachedFrom], "a newcomer outscored the parent that reached it");
                    Assert.True(r.Score <= byId[r.ReachedFrom].Score);
                    var parentIndex = result.ToList().FindIndex(x => x.ChunkId == r.ReachedFrom);
                    Assert.True(parentIndex < result.ToList().FindIndex(x => x.ChunkId == r.ChunkId), "a newcomer ranked above its parent");
                }
            }
        }, iter: 300);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Expand_NeighbourInTheHitsOwnFile_AttachedButBoostedOnlyWhenAsked(bool boostSameFile)
    {
        var file = new SymbolKey("r", "src/mod.py", "hit");
        var sibling = new SymbolKey("r", "src/mod.py", "sibling");
        var elsewhere = new SymbolKey("r", "src/other.py", "elsewhere");
        var hits = new[] { new GraphCandidate("chunk-hit", 1.0, file), new GraphCandidate("chunk-sibling", 0.2, sibling) };
        var edges = new[]
        {
            new ResolvedNeighbor(new GraphNeighbor(file, GraphRelation.Callee, sibling, SymbolKind.Function, 10, 12, 1), ["chunk-sibling"]),
            new ResolvedNeighbor(new GraphNeighbor(file, GraphRelation.Callee, elsewhere, SymbolKind.Function, 1, 5, 1), ["chunk-elsewhere"]),
        };

        var result = GraphExpansion.Expand(hits, edges, Mechanism(o => o.BoostSameFile = boostSameFile));

        Assert.Equal(["sibling", "elsewhere"], result[0].Related.Select(r => r.Symbol).Order(StringComparer.Ordinal).Reverse());
        var siblingHit = result.Single(r => r.ChunkId == "chunk-sibling");
        Assert.Equal(boostSameFile ? 0.2 + 0.35 : 0.2, siblingHit.Score, 12);
        Assert.Equal(0.35, result.Single(r => r.ChunkId == "chunk-elsewhere").Score, 12);
    }

    // The scoring arithmetic with round shares (the defaults are tuned values; these tests are about the arithmetic).
    private static GraphStageOptions Mechanism(Action<GraphStageOptions>? tweak = null)
    {
        var options = new GraphStageOptions { CalleeShare = 0.35, CallerShare = 0.3, ParentShare = 0.2, BaseTypeShare = 0.2, DerivedTypeShare = 0.15, ImportsShare = 0.1 };
        tweak?.Invoke(options);
        return options;
    }
}
