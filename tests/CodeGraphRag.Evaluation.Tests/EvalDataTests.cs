using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

/// <summary>Parses the real evaluation sets kept gzipped in the repository (docs/eval/codesearchnet, docs/eval/swebench-lite).</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class EvalDataTests
{
    private static string EvalDirectory() => Path.Combine(Fixtures.RepositoryRoot, "docs", "eval");

    private static StreamReader OpenGzip(string path)
        => new(new System.IO.Compression.GZipStream(File.OpenRead(path + ".gz"), System.IO.Compression.CompressionMode.Decompress));

    [Fact]
    public void CodeSearchNet_RealQrels_ParseIntoScorableQueries()
    {
        using var reader = OpenGzip(Path.Combine(EvalDirectory(), "codesearchnet", "qrels_mapped.csv"));

        var queries = CodeSearchNetAdapter.Read(reader);

        Assert.InRange(queries.Count, 300, 573);
        Assert.Equal(["go", "java", "javascript", "php", "python", "ruby"], queries.Select(q => q.Language).Distinct().Order());
        Assert.InRange(queries.Select(q => q.Query).Distinct().Count(), 90, 99);
        Assert.Equal(queries.Count, queries.Select(q => q.Id).Distinct().Count());
        Assert.All(queries, q =>
        {
            Assert.Contains(q.Gold, g => g.IsRelevant && g.Grade >= 2);
            Assert.All(q.Gold, g => Assert.StartsWith("files/", g.Path, StringComparison.Ordinal));
            Assert.All(q.Gold, g => Assert.True(g.StartLine <= g.EndLine));
        });
    }

    [Fact]
    public void SweBenchLite_RealFiles_ParseAllIssuesWithCommits()
    {
        var dir = Path.Combine(EvalDirectory(), "swebench-lite");
        using var gold = OpenGzip(Path.Combine(dir, "gold_files_lite.jsonl"));
        using var instances = OpenGzip(Path.Combine(dir, "swebench_lite.jsonl"));

        var queries = SweBenchLiteAdapter.Read(gold, instances);

        // CGR: counts stated in docs/eval/swebench-lite/README.md.
        Assert.Equal(300, queries.Count);
        Assert.Equal(6, queries.Count(q => q.Repository == "psf/requests"));
        Assert.Equal(17, queries.Count(q => q.Repository == "pytest-dev/pytest"));
        Assert.InRange(queries.Count(q => q.NamesGoldPath) / 300.0, 0.15, 0.17);
        Assert.All(queries, q => Assert.Matches("^[0-9a-f]{40}$", q.BaseCommit!));
    }
}
