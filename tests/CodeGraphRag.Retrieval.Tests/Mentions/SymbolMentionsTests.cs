using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Mentions;

[Trait("Category", TestCategories.Unit)]
public sealed class SymbolMentionsTests
{
    [Fact]
    public void Extract_IdentifiersBySpelling_PlainWordsAndFileNamesNever()
    {
        var mentions = SymbolMentions.Extract(
            "Fix `Cache.evict` so parse_url() and HttpClient stop retrying in core.py when the token expires; see click.core.Option and std::vector",
            10);

        Assert.Equal(
            [
                new SymbolMention("evict", "Cache"), new SymbolMention("parse_url", null), new SymbolMention("HttpClient", null),
                new SymbolMention("Option", "click.core"), new SymbolMention("vector", "std"),
            ],
            mentions);
    }

    [Theory]
    [InlineData("where do we validate tokens")]
    [InlineData("HTTP JSON API e.g. the v2.0 release")]
    [InlineData("see https://example.com/a.b for details")]
    [InlineData("")]
    public void Extract_ProseOnly_FindsNothing(string query)
    {
        Assert.Empty(SymbolMentions.Extract(query, 10));
    }

    [Fact]
    public void Extract_CalledPlainWordAndBacktickedWord_Count_RepeatsOnce_CappedAtMax()
    {
        Assert.Equal([new SymbolMention("retry", null), new SymbolMention("decode", null)], SymbolMentions.Extract("retry() then `decode`, retry() again", 10));
        Assert.Single(SymbolMentions.Extract("fooBar bazQux quuxCorge", 1));
    }
}
