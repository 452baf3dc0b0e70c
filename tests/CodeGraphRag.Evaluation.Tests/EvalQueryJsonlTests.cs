using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Evaluation.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class EvalQueryJsonlTests
{
    [Fact]
    public void Read_PathsAndSpans_ParsesBothGoldForms()
    {
        const string jsonl = """
            {"id": "q1", "query": "retry on connection reset", "gold": ["requests/adapters.py", "./requests\\sessions.py"], "repo": "requests"}

            {"id": 7, "query": "parse config", "gold": [{"path": "src/config.py", "start": 10, "end": 42}, {"path": "src/b.py", "grade": 2}]}
            """;

        var queries = EvalQueryJsonl.Read(new StringReader(jsonl));

        Assert.Equal(2, queries.Count);
        Assert.Equal("q1", queries[0].Id);
        Assert.Equal("requests", queries[0].Repository);
        Assert.Equal([new GoldItem("requests/adapters.py"), new GoldItem("requests/sessions.py")], queries[0].Gold);
        Assert.Equal("7", queries[1].Id);
        Assert.Null(queries[1].Repository);
        Assert.Equal([new GoldItem("src/config.py", 10, 42), new GoldItem("src/b.py", Grade: 2)], queries[1].Gold);
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"query\": \"x\", \"gold\": [\"p\"]}\n{not json", 2, "not valid JSON")]
    [InlineData("{\"id\": \"a\", \"query\": \"x\"}", 1, "missing \"gold\"")]
    [InlineData("{\"query\": \"x\", \"gold\": [\"p\"]}", 1, "missing \"id\"")]
    [InlineData("\n\n{\"id\": \"a\", \"query\": \"x\", \"gold\": [{\"path\": \"p\", \"start\": 5}]}", 3, "both \"start\" and \"end\"")]
    [InlineData("{\"id\": \"a\", \"query\": \"x\", \"gold\": [3]}", 1, "gold item 0")]
    [InlineData("{\"id\": \"a\", \"query\": \"x\", \"gold\": []}", 1, "no relevant item")]
    [InlineData("{\"id\": \"a\", \"query\": \"x\", \"gold\": [\"p\"]}\n{\"id\": \"a\", \"query\": \"y\", \"gold\": [\"p\"]}", 2, "already used on line 1")]
    [InlineData("{\"id\": \"a\", \"query\": \"x\", \"gold\": [\"p\"]}\n{\"id\": \"b\", \"query\": \"vali\\udade\", \"gold\": [\"p\"]}", 2, "lone surrogate")] // found by scripts/fuzz.sh
    public void Read_MalformedLine_ThrowsWithLineNumber(string jsonl, int line, string fragment)
    {
        var ex = Assert.Throws<EvalFormatException>(() => EvalQueryJsonl.Read(new StringReader(jsonl)));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"line {line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        EvalQuery[] queries =
        [
            new("a", "why \"quoted\" ünïcode", [new GoldItem("x.py"), new GoldItem("y.py", 1, 9, 2.5)], "repo", "abc123", "python"),
            new("b", "plain", [new GoldItem("z.go")]),
        ];
        var writer = new StringWriter();

        EvalQueryJsonl.Write(writer, queries);
        var read = EvalQueryJsonl.Read(new StringReader(writer.ToString()));

        Assert.Equal(queries.Length, read.Count);
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(queries[i] with { Gold = [] }, read[i] with { Gold = [] });
            Assert.Equal(queries[i].Gold, read[i].Gold);
        }
    }
}
