using CodeGraphRag.Retrieval.Query;
using CodeGraphRag.TestInfrastructure;
using CsCheck;

namespace CodeGraphRag.Retrieval.Tests.Query;

[Trait("Category", TestCategories.Unit)]
public sealed class LexicalAnalyzerTests
{
    [Theory]
    [InlineData("getUserName", "getusername get user name")]
    [InlineData("HTTPServer", "httpserver http server")]
    [InlineData("parseHTTPResponse", "parsehttpresponse parse http response")]
    [InlineData("snake_case_name", "snakecasename snake case name")]
    [InlineData("max-width", "maxwidth max width")]
    [InlineData("sha256Hash", "sha256hash sha 256 hash")]
    [InlineData("__init__", "init")]
    [InlineData("user", "user")]
    [InlineData("IOError", "ioerror io error")]
    [InlineData("XMLHttpRequest2", "xmlhttprequest2 xml http request 2")]
    public void ToLexicalText_Identifier_KeepsWholeAndParts(string code, string expected)
    {
        Assert.Equal(expected, LexicalAnalyzer.ToLexicalText(code));
    }

    [Fact]
    public void ToLexicalText_Code_DropsPunctuationAndKeepsRepeats()
    {
        var text = LexicalAnalyzer.ToLexicalText("def load_config(path):\n    return yaml.safe_load(open(path))  # n-1");

        Assert.Equal("def loadconfig load config path return yaml safeload safe load open path n 1", text);
    }

    [Fact]
    public void ToLexicalText_SeparatorStyles_ShareTheWholeTerm()
    {
        var forms = new[] { "get_user", "getUser", "GetUser", "get-user", "GET_USER" };

        foreach (var form in forms)
        {
            Assert.StartsWith("getuser get user", LexicalAnalyzer.ToLexicalText(form), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToLexicalText_NonAsciiIdentifier_LowerCasesAndSplits()
    {
        Assert.Equal("größeberechnen größe berechnen", LexicalAnalyzer.ToLexicalText("GrößeBerechnen"));
    }

    [Fact]
    public void ToLexicalText_OverlongRun_IsDropped()
    {
        var blob = new string('A', LexicalAnalyzer.MaxTokenLength + 1);

        Assert.Equal("key value", LexicalAnalyzer.ToLexicalText($"key = \"{blob}\" value"));
    }

    [Fact]
    public void ToLexicalText_AnyInput_TermsAreLowerCaseLettersAndDigitsOnly()
    {
        Gen.String.Sample(s =>
        {
            var text = LexicalAnalyzer.ToLexicalText(s);
            if (text.Length == 0)
            {
                return true;
            }

            return text.Split(' ').All(t => t.Length > 0 && t.All(c => char.IsLetterOrDigit(c) && !char.IsUpper(c)));
        }, iter: 2000);
    }

    [Fact]
    public void ToLexicalText_WorstCaseExpansion_FitsAndIsExact()
    {
        Gen.String[Gen.Char["aB1_-x. "], 0, 200].Sample(s =>
        {
            var text = LexicalAnalyzer.ToLexicalText(s);
            return text.Length <= (s.Length * 3) + 1 && !text.StartsWith(' ') && !text.EndsWith(' ') && !text.Contains("  ", StringComparison.Ordinal);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("foo* \"bar\" AND (baz OR qux) col:val ^x NEAR(a b) -minus {x} [y] 'z'")]
    [InlineData("\"\"\"; DROP TABLE chunks; --")]
    public void QueryTerms_FtsSyntax_PassesThroughAsPlainTerms(string query)
    {
        var terms = LexicalAnalyzer.QueryTerms(query);

        Assert.NotEmpty(terms);
        Assert.All(terms, t => Assert.True(t.All(char.IsLetterOrDigit), $"term '{t}' holds a non-alphanumeric character"));
    }

    [Fact]
    public void QueryTerms_NaturalLanguage_RemovesStopwordsAndDuplicates()
    {
        var terms = LexicalAnalyzer.QueryTerms("How do I parse the HTTP response and the HTTP headers?");

        Assert.Equal(["parse", "http", "response", "headers"], terms);
    }

    [Fact]
    public void QueryTerms_IdentifierWithStopwordPart_KeepsWholeIdentifier()
    {
        var terms = LexicalAnalyzer.QueryTerms("getOrCreate");

        Assert.Equal(["getorcreate", "get", "create"], terms);
    }

    [Theory]
    [InlineData("where is 9f3c2e1d8a implemented", new[] { "9f3c2e1d8a", "9", "f", "3", "c", "2", "e", "1", "d", "8", "a", "implemented" }, new[] { "9f3c2e1d8a", "implemented" })]
    [InlineData("for x in range of items", new[] { "x", "range", "items" }, new[] { "range", "items" })]
    public void QueryTerms_SingleCharacters_DroppedWhenLongerTermsRemain(string query, string[] split, string[] expected)
    {
        // The split is what ToLexicalText emits for the query; single characters are dropped from the query side only.
        Assert.All(split, t => Assert.Contains(t, LexicalAnalyzer.ToLexicalText(query).Split(' ')));
        Assert.Equal(expected, LexicalAnalyzer.QueryTerms(query));
    }

    [Theory]
    [InlineData("x", new[] { "x" })]
    [InlineData("x y", new[] { "x", "y" })]
    public void QueryTerms_OnlySingleCharacters_KeepsThem(string query, string[] expected)
    {
        Assert.Equal(expected, LexicalAnalyzer.QueryTerms(query));
    }

    [Fact]
    public void QueryTerms_OnlyStopwords_KeepsThem()
    {
        Assert.Equal(["what", "is", "this"], LexicalAnalyzer.QueryTerms("what is this"));
    }

    [Fact]
    public void QueryTerms_QueryAndDocument_ShareTermsAcrossNamingStyles()
    {
        var query = LexicalAnalyzer.QueryTerms("load_user_profile");
        var document = LexicalAnalyzer.ToLexicalText("public User LoadUserProfile(int id)").Split(' ');

        Assert.All(query, t => Assert.Contains(t, document));
    }
}
