using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>Escaping, glob semantics, lexical query building and the text codecs.</summary>
public sealed class InternalsTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir\\", "\"C:\\\\dir\\\\\"")]
    [InlineData("a\nb\rc\td", "\"a\\nb\\rc\\td\"")]
    [InlineData("nul\0bell\u0007", "\"nul\\u0000bell\\u0007\"")]
    [InlineData("ünï 模块 🚀", "\"ünï 模块 🚀\"")]
    [InlineData("\" or 1 == 1 or path == \"", "\"\\\" or 1 == 1 or path == \\\"\"")]
    [Trait("Category", TestCategories.Unit)]
    public void Literal_Value_EscapedAsMilvusStringLiteral(string value, string expected)
    {
        Assert.Equal(expected, FilterExpression.Literal(value));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void SearchFilter_AllParts_JoinedWithAndInFixedOrder()
    {
        var filter = SearchFilter.From(new ChunkFilter(["a", "b", "a"], ["go", "python"], "src/*_test.go"));

        Assert.Equal("repo in [\"a\", \"b\"] and language in [\"go\", \"python\"] and path like \"src/%\"", filter.Expression);
        Assert.NotNull(filter.PostFilter);
        Assert.False(filter.MatchesNothing);
        Assert.Equal(new SearchFilter(null, null, false), SearchFilter.From(ChunkFilter.None));
        Assert.True(SearchFilter.From(new ChunkFilter([], ["go"], null)).MatchesNothing);
    }

    [Theory]
    [InlineData("src/*", "src/")]
    [InlineData("src/auth/*.py", "src/auth/")]
    [InlineData("*/token.p?", "")]
    [InlineData("src/my_mod/*", "src/my")]
    [InlineData("docs/100%/*", "docs/100")]
    [InlineData("a\\b/*", "a")]
    [InlineData("lib/[x]/?", "lib/[x]/")]
    [Trait("Category", TestCategories.Unit)]
    public void PushdownPrefix_Glob_StopsAtWildcardsAndLikeSpecials(string glob, string prefix)
    {
        Assert.Equal(prefix, new PathGlobMatcher(glob).PushdownPrefix);
    }

    [Theory]
    [InlineData("src/*", "src/a/b/c.py", true)]
    [InlineData("src/*", "lib/src/a.py", false)]
    [InlineData("*/token.p?", "src/auth/token.py", true)]
    [InlineData("*/token.p?", "cmd/token.go", false)]
    [InlineData("*/token.p?", "src/token.pyc", false)]
    [InlineData("src/auth/*.py", "src/auth/token.py", true)]
    [InlineData("src/auth/*.py", "src/auth/token.pyc", false)]
    [InlineData("*.PY", "a.py", false)]
    [InlineData("lib/[x]/?", "lib/[x]/a", true)]
    [InlineData("lib/[x]/?", "lib/x/a", false)]
    [InlineData("src/ünïcødé/*", "src/ünïcødé/файл_模块.py", true)]
    [InlineData("emoji/?.md", "emoji/🚀.md", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("**", "", true)]
    [InlineData("my_%file", "my_%file", true)]
    [InlineData("my_%file", "myX%file", false)]
    [Trait("Category", TestCategories.Unit)]
    public void IsMatch_GlobAndPath_FollowsTheEmbeddedStoresGlob(string glob, string path, bool expected)
    {
        Assert.Equal(expected, new PathGlobMatcher(glob).IsMatch(path));
    }

    [Theory]
    [InlineData(new[] { "validate_token" }, "validate_token")]
    [InlineData(new[] { "NEAR(", "OR", "{near}", "near\0", "-near", "near*" }, "near or")]
    [InlineData(new[] { "a\"b", "lexical_text:near", "NEAR(near far)", "(", ")", "" }, null)]
    [InlineData(new[] { "получитьДанные", "数据", "données" }, "получитьданные 数据 données")]
    [Trait("Category", TestCategories.Unit)]
    public void LexicalQuery_Terms_SingleTokensKeptLowerCasedAndDistinct(string[] terms, string? expected)
    {
        Assert.Equal(expected, LexicalQuery.Build(terms));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ChunkRows_SerializeThenRead_RoundTripsEveryField()
    {
        var chunk = MilvusTestSetup.Chunk("c1", "def f():\n    return \"ü\"") with { Signature = "def f()", Kind = Abstractions.Parsing.ChunkKind.TypeHeader };

        var row = JsonDocument.Parse(ChunkRows.Serialize(chunk, [0.1f, 0.2f, 0.3f, 0.4f])).RootElement;

        Assert.Equal(chunk, ChunkRows.Read(row));
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], ChunkRows.Vector(row, "embedding"));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ChunkRows_OverlongFieldOrIncompressibleText_Rejected()
    {
        var longPath = MilvusTestSetup.Chunk("c1", "x") with { Path = new string('p', 5000) };
        var noise = new Random(7);
        var incompressible = new string(Enumerable.Range(0, 200_000).Select(_ => (char)noise.Next(0x4E00, 0x9FFF)).ToArray());

        Assert.Contains("path", Assert.Throws<ArgumentException>(() => ChunkRows.Serialize(longPath, [1, 0, 0, 0])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ChunkRows.Serialize(MilvusTestSetup.Chunk("c2", incompressible), [1, 0, 0, 0]));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void LexicalCodec_WithinLimit_Unchanged_OverLimit_DistinctTermsCutAtATermBoundary()
    {
        Assert.Equal("a b a", LexicalCodec.Fit("a b a"));
        var terms = Enumerable.Range(0, 20_000).Select(i => $"term{i}").ToList();

        var fitted = LexicalCodec.Fit(string.Join(' ', terms.Concat(terms)));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(fitted) <= 65_535);
        var kept = fitted.Split(' ');
        Assert.Equal(terms.Take(kept.Length), kept);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void TryReadCode_EnvelopeVariants_ReadsTopLevelCodeOnly()
    {
        Assert.True(MilvusResponse.TryReadCode("""{"data":{"code":5},"code":8,"message":"rate"}"""u8, out var code));
        Assert.Equal(8, code);
        Assert.False(MilvusResponse.TryReadCode("not json"u8, out _));
        Assert.False(MilvusResponse.TryReadCode("""{"data":{}}"""u8, out _));
        Assert.True(MilvusResponse.IsTransientCode(103));
        Assert.False(MilvusResponse.IsTransientCode(100));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void OptionsToString_NamesTheServerButNotTheToken()
    {
        var text = new MilvusOptions { Url = "http://milvus:19530", Token = "root:milvus-pw-0123456789" }.ToString();

        Assert.Equal("Milvus http://milvus:19530 database 'default' collection 'cgr_chunks' token set", text);
    }
}
