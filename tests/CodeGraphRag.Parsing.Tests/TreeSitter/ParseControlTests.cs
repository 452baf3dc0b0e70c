using System.Text;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.Parsing.TreeSitter.Native;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

/// <summary>The native parse stops on its own checks: the time budget, and the flag a cancelled token sets.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed unsafe class ParseControlTests : IDisposable
{
    private static readonly byte[] _source =
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"def f{i}(x):\n    return g(x)\n")));

    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Parse_WithTimeAndAnUncancelledToken_ReturnsTheTree()
    {
        using var cts = new CancellationTokenSource();

        var tree = Parse(TimeSpan.FromMinutes(1), cts.Token);

        Assert.NotEqual(0, tree);
        Assert.Equal((uint)_source.Length, TsNative.ts_node_end_byte(TsNative.ts_tree_root_node(tree)));
        TsNative.ts_tree_delete(tree);
    }

    [Fact]
    public void Parse_TokenCancelled_StopsWithoutATree()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Equal(0, Parse(TimeSpan.FromMinutes(1), cts.Token));
    }

    [Fact]
    public void Parse_BudgetSpent_StopsWithoutATree()
    {
        Assert.Equal(0, Parse(TimeSpan.FromTicks(1), CancellationToken.None));
    }

    private nint Parse(TimeSpan budget, CancellationToken token)
    {
        var runtime = _extractor.Runtime("python");
        var pair = runtime.Rent();
        try
        {
            fixed (byte* p = _source)
            {
                return ParseControl.Parse(pair.Parser, p, _source.Length, budget, token);
            }
        }
        finally
        {
            runtime.Return(pair);
        }
    }
}
