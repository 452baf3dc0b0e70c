using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Context;
using CodeGraphRag.TestInfrastructure;
using CsCheck;

namespace CodeGraphRag.Retrieval.Tests.Context;

[Trait("Category", TestCategories.Unit)]
public sealed class ContextPackerTests
{
    private static readonly Func<string, int> s_chars = s => s.Length;

    private static string Lines(int start, int end, string prefix = "line") =>
        string.Concat(Enumerable.Range(start, end - start + 1).Select(i => $"{prefix} {i}\n"));

    private static ContextItem Item(string path, int start, int end, string symbol = "f", IReadOnlyList<ContextRelatedItem>? related = null, string? text = null) =>
        new("repo", path, start, end, symbol, "python", text ?? Lines(start, end), related ?? []);

    [Fact]
    public void Pack_AmpleBudget_RendersHeaderFenceAndRelatedInRankOrder()
    {
        var callee = new ContextRelatedItem(GraphRelation.Callee, "repo", "src/util.py", 3, 9, "util.helper", "python", "\ndef helper(x):\n    a = 1\n    b = 2\n    return x\n");
        var hits = new[] { Item("src/a.py", 10, 11, "load", [callee]), Item("src/b.py", 1, 1, "") };

        var packed = ContextPacker.Pack(hits, 10_000, s_chars, new ContextPackerOptions { RelatedMaxLines = 2 });

        var expected =
            "src/a.py:10-11 (load)\n```python\nline 10\nline 11\n```\n" +
            "\nrelated callee: src/util.py:3-9 (util.helper)\n```python\ndef helper(x):\n    a = 1\n```\n" +
            "\nsrc/b.py:1-1\n```python\nline 1\n```\n";
        Assert.Equal(expected, packed.Text);
        Assert.Equal(expected.Length, packed.Tokens);
        Assert.Equal([0, 1], packed.Included.Select(b => b.HitIndex));
        Assert.Equal(1, packed.Included[0].RelatedIncluded);
        Assert.Empty(packed.Omitted);
    }

    [Fact]
    public void Pack_OverlappingSpans_ShowsOnlyNewLinesAndDropsDuplicates()
    {
        var hits = new[] { Item("a.py", 1, 10), Item("a.py", 5, 15), Item("a.py", 2, 4), Item("b.py", 1, 3) };

        var packed = ContextPacker.Pack(hits, 10_000, s_chars);

        Assert.Equal([(0, 1, 10), (1, 11, 15), (3, 1, 3)], packed.Included.Select(b => (b.HitIndex, b.StartLine, b.EndLine)));
        var omitted = Assert.Single(packed.Omitted);
        Assert.Equal((2, ContextOmission.Duplicate), (omitted.HitIndex, omitted.Reason));
        Assert.Single(packed.Text.Split('\n'), l => l == "line 5");
    }

    [Fact]
    public void Pack_HitInsideShownHit_SplitsIntoUncoveredBlocks()
    {
        var hits = new[] { Item("a.py", 5, 6), Item("a.py", 1, 10) };

        var packed = ContextPacker.Pack(hits, 10_000, s_chars);

        Assert.Equal([(5, 6), (1, 4), (7, 10)], packed.Included.Select(b => (b.StartLine, b.EndLine)));
    }

    [Fact]
    public void Pack_TightBudget_CutsBigHitAtLineBoundary()
    {
        var big = Item("big.py", 1, 100);
        var small = Item("small.py", 1, 1);
        var budget = 200;

        var packed = ContextPacker.Pack([big, small], budget, s_chars);

        Assert.True(packed.Tokens <= budget);
        var first = packed.Included[0];
        Assert.True(first.Truncated);
        Assert.Equal(1, first.StartLine);
        Assert.Contains($"big.py:1-{first.EndLine} (f)", packed.Text, StringComparison.Ordinal);
        Assert.Contains($"line {first.EndLine}\n```", packed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_HitTooBigToCut_IsOmittedAndSmallerLaterHitFits()
    {
        var packed = ContextPacker.Pack([Item("big.py", 1, 100), Item("small.py", 1, 1)], 60, s_chars);

        Assert.Equal(1, Assert.Single(packed.Included).HitIndex);
        Assert.Equal((0, ContextOmission.Budget), (Assert.Single(packed.Omitted).HitIndex, packed.Omitted[0].Reason));
    }

    [Fact]
    public void Pack_BudgetTooSmall_OmitsEverything()
    {
        var packed = ContextPacker.Pack([Item("a.py", 1, 3)], 5, s_chars);

        Assert.Equal(string.Empty, packed.Text);
        Assert.Equal(0, packed.Tokens);
        Assert.Equal(ContextOmission.Budget, Assert.Single(packed.Omitted).Reason);
    }

    [Fact]
    public void Pack_CodeWithBackticks_UsesLongerFence()
    {
        var packed = ContextPacker.Pack([Item("doc.md", 1, 1, text: "```js\n")], 1000, s_chars);

        Assert.Contains("````python\n```js\n````\n", packed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CounterThatGrowsOnJoining_StillRespectsBudget()
    {
        // CGR: a counter whose count of the joined text exceeds the sum of the parts.
        static int Superadditive(string s)
        {
            var fences = s.Split("```").Length - 1;
            return s.Length + (fences * fences);
        }

        var hits = Enumerable.Range(0, 6).Select(i => Item($"f{i}.py", 1, 3)).ToList();

        var packed = ContextPacker.Pack(hits, 250, Superadditive);

        Assert.True(packed.Tokens <= 250);
        Assert.Equal(Superadditive(packed.Text), packed.Tokens);
        Assert.Equal(hits.Count, packed.Included.Select(b => b.HitIndex).Distinct().Count() + packed.Omitted.Count);
    }

    [Fact]
    public void Pack_RandomHitsAndBudgets_NeverExceedsBudgetKeepsRankOrderAndWholeLines()
    {
        var genHit = Gen.Select(Gen.Int[0, 3], Gen.Int[1, 30], Gen.Int[0, 12], Gen.Int[0, 2]);
        Gen.Select(genHit.List[0, 12], Gen.Int[0, 1500]).Sample((spec, budget) =>
        {
            var hits = spec.Select(h =>
            {
                var related = Enumerable.Range(0, h.Item4)
                    .Select(r => new ContextRelatedItem(GraphRelation.Caller, "repo", $"r{r}.py", 1, 4, $"r{r}", "python", Lines(1, 4, "rel")))
                    .ToList();
                return Item($"f{h.Item1}.py", h.Item2, h.Item2 + h.Item3, related: related);
            }).ToList();
            var inputLines = hits.SelectMany(h => h.Text.Split('\n')).Concat(["rel 1", "rel 2", "rel 3"]).ToHashSet();

            var packed = ContextPacker.Pack(hits, budget, s => (s.Length + 3) / 4);

            Assert.True(packed.Tokens <= budget);
            Assert.Equal(packed.Text.Length == 0 ? 0 : (packed.Text.Length + 3) / 4, packed.Tokens);
            var order = packed.Included.Select(b => b.HitIndex).ToList();
            Assert.Equal(order.Order(), order);
            foreach (var line in packed.Text.Split('\n'))
            {
                var structural = line.Length == 0 || line.StartsWith("```", StringComparison.Ordinal)
                    || line.StartsWith('f') || line.StartsWith("related ", StringComparison.Ordinal);
                Assert.True(structural || inputLines.Contains(line), $"line '{line}' is cut or invented");
            }
        }, iter: 300);
    }
}
