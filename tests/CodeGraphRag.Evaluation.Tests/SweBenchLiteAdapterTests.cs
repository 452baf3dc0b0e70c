using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class SweBenchLiteAdapterTests
{
    // CGR: lines in the shape of docs/eval/swebench-lite (gold lines copied, problem statements and patches shortened).
    private const string Gold = """
        {"instance_id": "psf__requests-1963", "repo": "psf/requests", "base_commit": "110048f9837f8441ea536804115e80b69f400277", "gold_files": ["requests/sessions.py"]}
        {"instance_id": "psf__requests-2317", "repo": "psf/requests", "base_commit": "091991be0da19de9108dbe5e3752917fea3d7fdc", "gold_files": ["requests/sessions.py"]}
        """;

    private const string Instances = """
        {"instance_id": "psf__requests-2317", "repo": "psf/requests", "base_commit": "091991be0da19de9108dbe5e3752917fea3d7fdc", "problem_statement": "method = builtin_str(method) problem\nIn requests/sessions.py is a command:\n", "patch": "diff --git a/requests/sessions.py b/requests/sessions.py\n"}
        {"instance_id": "psf__requests-1963", "repo": "psf/requests", "base_commit": "110048f9837f8441ea536804115e80b69f400277", "problem_statement": "`Session.resolve_redirects` copies the original request for all subsequent requests\n", "patch": "diff --git a/requests/sessions.py b/requests/sessions.py\n"}
        """;

    [Fact]
    public void Read_Excerpt_JoinsStatementsAndFlagsVerbatimGoldPaths()
    {
        var queries = SweBenchLiteAdapter.Read(new StringReader(Gold), new StringReader(Instances));

        Assert.Equal(["psf__requests-1963", "psf__requests-2317"], queries.Select(q => q.Id));
        var first = queries[0];
        Assert.StartsWith("`Session.resolve_redirects`", first.Query, StringComparison.Ordinal);
        Assert.Equal([new GoldItem("requests/sessions.py")], first.Gold);
        Assert.Equal("psf/requests", first.Repository);
        Assert.Equal("110048f9837f8441ea536804115e80b69f400277", first.BaseCommit);
        Assert.False(first.NamesGoldPath);
        Assert.True(queries[1].NamesGoldPath);
    }

    [Fact]
    public void Read_GoldWithoutInstance_ThrowsNamingIt()
    {
        var ex = Assert.Throws<EvalFormatException>(() => SweBenchLiteAdapter.Read(new StringReader(Gold), new StringReader(string.Empty)));

        Assert.Equal(1, ex.Line);
        Assert.Contains("psf__requests-1963", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedInstanceLine_ThrowsWithLineAndFile()
    {
        var ex = Assert.Throws<EvalFormatException>(() => SweBenchLiteAdapter.Read(new StringReader(Gold), new StringReader(Instances + "\n{oops\n")));

        Assert.Equal(3, ex.Line);
        Assert.Contains("swebench_lite.jsonl", ex.Message, StringComparison.Ordinal);
    }
}
