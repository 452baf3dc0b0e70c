using CodeGraphRag.Retrieval.Query;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Query;

[Trait("Category", TestCategories.Unit)]
public sealed class QueryParserTests
{
    [Fact]
    public void Parse_FiltersAnywhere_SplitsTextAndFilters()
    {
        var parsed = QueryParser.Parse("repo:requests  retry   logic lang:py path:src/**/*.py repo:pytest");

        Assert.Equal("retry logic", parsed.Text);
        Assert.Equal(["requests", "pytest"], parsed.Repositories);
        Assert.Equal(["python"], parsed.Languages);
        Assert.Equal("src/**/*.py", parsed.PathGlob);
    }

    [Fact]
    public void Parse_LineBreaks_KeptOnceBetweenWords()
    {
        var parsed = QueryParser.Parse("  error   here\r\n\n  File \"a.py\", line 3, in f lang:py\r\n\tnext\n");

        Assert.Equal("error here\nFile \"a.py\", line 3, in f\nnext", parsed.Text);
        Assert.Equal(["python"], parsed.Languages);
    }

    [Theory]
    [InlineData("c#", "csharp")]
    [InlineData("CS", "csharp")]
    [InlineData("js", "javascript")]
    [InlineData("ts", "typescript")]
    [InlineData("golang", "go")]
    [InlineData("c++", "cpp")]
    [InlineData("Python", "python")]
    [InlineData("cobol", "cobol")]
    public void Parse_LanguageAlias_IsNormalized(string alias, string expected)
    {
        Assert.Equal([expected], QueryParser.Parse($"x lang:{alias}").Languages);
    }

    [Fact]
    public void Parse_QuotedValue_KeepsSpaces()
    {
        var parsed = QueryParser.Parse("find path:\"docs/my notes/*\" notes");

        Assert.Equal("docs/my notes/*", parsed.PathGlob);
        Assert.Equal("find notes", parsed.Text);
    }

    [Fact]
    public void Parse_RepeatedValues_AreDeduplicated()
    {
        var parsed = QueryParser.Parse("q lang:py lang:python repo:a repo:a");

        Assert.Equal(["python"], parsed.Languages);
        Assert.Equal(["a"], parsed.Repositories);
    }

    [Fact]
    public void Parse_WordsWithColons_StayText()
    {
        var parsed = QueryParser.Parse("std::vector http://x.org myrepo:thing");

        Assert.Equal("std::vector http://x.org myrepo:thing", parsed.Text);
        Assert.False(parsed.HasFilters);
    }

    [Theory]
    [InlineData("retry repo:", "repo:")]
    [InlineData("retry lang: python", "lang:")]
    [InlineData("retry PATH:\"\"", "PATH:")]
    public void Parse_EmptyValue_ThrowsNamingTheFilter(string query, string filter)
    {
        var ex = Assert.Throws<QueryParseException>(() => QueryParser.Parse(query));

        Assert.Equal(filter, ex.Filter);
        Assert.Contains($"'{filter}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedQuote_Throws()
    {
        var ex = Assert.Throws<QueryParseException>(() => QueryParser.Parse("x path:\"src/a"));

        Assert.Contains("unclosed quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoPathGlobs_Throws()
    {
        var ex = Assert.Throws<QueryParseException>(() => QueryParser.Parse("x path:a/* path:b/*"));

        Assert.Equal("path:", ex.Filter);
    }

    [Fact]
    public void ToChunkFilter_NoFilters_IsUnrestricted()
    {
        var filter = QueryParser.Parse("just text").ToChunkFilter();

        Assert.Null(filter.Repositories);
        Assert.Null(filter.Languages);
        Assert.Null(filter.PathGlob);
    }
}
