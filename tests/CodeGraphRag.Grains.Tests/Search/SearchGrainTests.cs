using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Search;

[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SearchGrainTests(IndexedSampleFixture fixture) : IClassFixture<IndexedSampleFixture>
{
    private IndexHarness Harness => fixture.Harness;

    [Theory]
    [InlineData(SearchMode.Dense, "reject a signed login credential whose lifetime has passed", "auth/jwt_validator.py")]
    [InlineData(SearchMode.HybridGraph, "bounded store that forgets the least recently read entry", "storage/cache.go")]
    [InlineData(SearchMode.HybridGraph, "try an action again with exponentially growing waits", "util/RetryPolicy.java")]
    [InlineData(SearchMode.HybridGraph, "match an incoming request's method and url to a handler", "web/router.ts")]
    public async Task Search_NaturalLanguageWithoutSharedIdentifiers_FindsTargetFirst(SearchMode mode, string query, string expected)
    {
        var response = await Harness.SearchAsync(query, mode);

        Assert.NotEmpty(response.Hits);
        Assert.Equal(expected, response.Hits[0].Path);
    }

    [Fact]
    public async Task Search_HybridGraph_AttachesCalleesWithTheRelationNamed()
    {
        var response = await Harness.SearchAsync("invoice total rounding", SearchMode.HybridGraph);

        var total = Assert.Single(response.Hits, h => h.Symbol == "Acme.Billing.Invoice.Total");
        Assert.Contains(total.Related, r => r.Relation == GraphRelation.Callee && r.Symbol.EndsWith(".Apply", StringComparison.Ordinal));
        Assert.Contains(total.Related, r => r.Relation == GraphRelation.Parent && r.Symbol == "Acme.Billing.Invoice");
    }

    [Fact]
    public async Task Search_InlineFilters_RestrictLanguageAndPath()
    {
        var go = await Harness.SearchAsync("lang:go cache entry");
        var auth = await Harness.SearchAsync("path:auth/* load key");

        Assert.NotEmpty(go.Hits);
        Assert.All(go.Hits, h => Assert.Equal("go", h.Language));
        Assert.NotEmpty(auth.Hits);
        Assert.All(auth.Hits, h => Assert.StartsWith("auth/", h.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_Modes_ReportTheirScoreBreakdown()
    {
        var lexical = await Harness.SearchAsync("VatRule", SearchMode.Lexical);
        var hybrid = await Harness.SearchAsync("VatRule", SearchMode.Hybrid);

        Assert.Equal("billing/Invoice.cs", lexical.Hits[0].Path);
        Assert.All(lexical.Hits, h => Assert.False(h.Scores.ContainsKey("dense")));
        Assert.Contains(hybrid.Hits, h => h.Scores.ContainsKey("dense") && h.Scores.ContainsKey("lexical"));
        Assert.Equal(Enumerable.Range(1, hybrid.Hits.Count), hybrid.Hits.Select(h => h.Rank));
    }

    [Fact]
    public async Task Search_LongQuery_FusesWithTheLongQueryWeights()
    {
        // 48 words: a problem description by Graph:LongQueryWords (40); the short query below is 6 words.
        var longQuery = string.Join(' ', Enumerable.Repeat("invoice total rounding cache entry retry", 8));
        const string ShortQuery = "invoice total rounding cache entry retry";
        var options = Harness.SearchOptions;
        options.LongQueryDenseWeight = 0;
        try
        {
            var lexical = await Harness.SearchAsync(longQuery, SearchMode.Lexical, top: 5);
            var hybrid = await Harness.SearchAsync(longQuery, SearchMode.Hybrid, top: 5);
            var shortHybrid = await Harness.SearchAsync(ShortQuery, SearchMode.Hybrid, top: 5);

            Assert.Equal(5, lexical.Hits.Count);
            Assert.Equal(lexical.Hits.Select(h => h.ChunkId), hybrid.Hits.Select(h => h.ChunkId));
            Assert.All(hybrid.Hits, h => Assert.Equal(options.LongQueryLexicalWeight / (options.RrfK + h.Rank), h.Score, 9));
            // Short queries keep both lists: a chunk in both scores more than any single list's first rank.
            Assert.True(shortHybrid.Hits[0].Score > 1.0 / (options.RrfK + 1), $"short-query top score {shortHybrid.Hits[0].Score}");
        }
        finally
        {
            options.LongQueryDenseWeight = 1;
        }
    }

    [Fact]
    public async Task Search_LongQuery_DocsScoredDownUnlessFilteredFor_ShortQueriesByTheirOwnTable()
    {
        // The words of docs/README.md's two sections, repeated to a long query (48 words); top 200 holds every candidate.
        const string Words = "signed bearer credential checks signature issuer lifetime invoices sum line items value added tax";
        var longQuery = string.Join(' ', Enumerable.Repeat(Words, 4));
        var priors = Harness.SearchOptions.ClassPriors;
        try
        {
            priors.Long["docs"] = 1;
            var before = await Harness.SearchAsync(longQuery, SearchMode.Hybrid, top: 200);
            var readme = before.Hits.ToList().FindIndex(h => h.Path == "docs/README.md");
            Assert.True(readme >= 0 && before.Hits.Skip(readme + 1).Any(h => h.Language != "markdown"), $"precondition: the README ranks above some code ({string.Join(", ", before.Hits.Select(h => h.Path))})");
            Assert.All(before.Hits.Where(h => h.Class is FileClass.Docs or FileClass.Code), h => Assert.False(h.Scores.ContainsKey("class_prior")));

            priors.Long["docs"] = 0.001;
            var after = await Harness.SearchAsync(longQuery, SearchMode.Hybrid, top: 200);
            var filtered = await Harness.SearchAsync("lang:markdown " + longQuery, SearchMode.Hybrid, top: 20);
            var shortQuery = await Harness.SearchAsync("signed bearer credential issuer", SearchMode.Hybrid, top: 20);

            Assert.Equal(before.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal), after.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
            var firstProse = after.Hits.ToList().FindIndex(h => h.Language is "markdown" or "text");
            Assert.True(after.Hits.Skip(firstProse).All(h => h.Language is "markdown" or "text"), string.Join(", ", after.Hits.Select(h => h.Path)));
            var prose = Assert.Single(after.Hits, h => h.Path == "docs/README.md" && h.ChunkId == before.Hits[readme].ChunkId);
            Assert.Equal(0.001, prose.Scores["class_prior"]);
            Assert.Equal(before.Hits[readme].Score * 0.001, prose.Score, 12);
            Assert.All(filtered.Hits, h => Assert.False(h.Scores.ContainsKey("class_prior")));
            Assert.NotEmpty(filtered.Hits);
            Assert.Equal(FileClass.Docs, prose.Class);
            Assert.All(shortQuery.Hits.Where(h => h.Class == FileClass.Docs), h => Assert.Equal(priors.Short["docs"], h.Scores["class_prior"]));
            Assert.All(shortQuery.Hits.Where(h => h.Class == FileClass.Code), h => Assert.False(h.Scores.ContainsKey("class_prior")));
        }
        finally
        {
            priors.Long["docs"] = new ClassPriorOptions().Long["docs"];
        }
    }

    [Fact]
    public async Task Search_StackTrace_InnermostFramesFunctionFirstInHybridModesOnly()
    {
        // A traceback (most recent call last) through two fixture files: jwt_validator.py is the innermost.
        const string Query = """
            invoice total rounding fails
            Traceback (most recent call last):
              File "/srv/acme/app/main.py", line 9, in run
              File "/srv/acme/auth/keys.py", line 5, in load_signing_key
              File "/srv/acme/auth/jwt_validator.py", line 33, in _check_expiry
            ValueError: bad claims
            """;
        var options = Harness.SearchOptions;

        var hybridGraph = await Harness.SearchAsync(Query, SearchMode.HybridGraph, top: 10);
        var hybrid = await Harness.SearchAsync(Query, SearchMode.Hybrid, top: 10);
        var lexical = await Harness.SearchAsync(Query, SearchMode.Lexical, top: 10);
        var goOnly = await Harness.SearchAsync("lang:go " + Query, SearchMode.Hybrid, top: 10);
        SearchResponse off;
        try
        {
            options.MentionWeight = 0;
            off = await Harness.SearchAsync(Query, SearchMode.Hybrid, top: 10);
        }
        finally
        {
            options.MentionWeight = new SearchOptions().MentionWeight;
        }

        static int RankOf(SearchResponse response, string symbolEnd) =>
            response.Hits.ToList().FindIndex(h => h.Symbol.EndsWith(symbolEnd, StringComparison.Ordinal)) is var i and >= 0 ? i : int.MaxValue;

        foreach (var response in new[] { hybridGraph, hybrid })
        {
            var ranking = string.Join(", ", response.Hits.Select(h => $"{h.Path} {h.Symbol}"));
            Assert.Equal("auth/jwt_validator.py", response.Hits[0].Path);
            var frame = Assert.Single(response.Hits, h => h.Symbol.EndsWith("_check_expiry", StringComparison.Ordinal));
            Assert.True(RankOf(response, "_check_expiry") < response.Hits.ToList().FindIndex(h => h.Path != "auth/jwt_validator.py"), ranking);
            Assert.Equal(1, frame.Scores["mention"]);
            Assert.Equal(2, Assert.Single(response.Hits, h => h.Symbol.EndsWith("load_signing_key", StringComparison.Ordinal)).Scores["mention"]);
        }

        Assert.All(lexical.Hits.Concat(off.Hits).Concat(goOnly.Hits), h => Assert.False(h.Scores.ContainsKey("mention")));
        Assert.True(RankOf(off, "_check_expiry") > RankOf(hybrid, "_check_expiry"));
        Assert.All(goOnly.Hits, h => Assert.Equal("go", h.Language));
    }

    [Fact]
    public async Task Search_LongQueryWithVersionListing_SearchedWithoutTheListing()
    {
        // 90 words of "package version" lines after the sentence: a long query whose listing names the cache's words.
        var query = "invoice total rounding\n" + string.Join('\n', Enumerable.Repeat("cache 1.0.0\nentry 2.1.0\nevict 0.3.1", 15));
        var options = Harness.SearchOptions;
        SearchResponse kept;
        var dropped = await Harness.SearchAsync(query, SearchMode.Lexical, top: 20);
        try
        {
            options.DropVersionListings = false;
            kept = await Harness.SearchAsync(query, SearchMode.Lexical, top: 20);
        }
        finally
        {
            options.DropVersionListings = new SearchOptions().DropVersionListings;
        }

        Assert.Equal("billing/Invoice.cs", dropped.Hits[0].Path);
        Assert.DoesNotContain(dropped.Hits, h => h.Path == "storage/cache.go");
        Assert.Contains(kept.Hits, h => h.Path == "storage/cache.go");
    }

    [Fact]
    public async Task Search_UnknownWordsOrOtherRepository_ReturnsNoHits()
    {
        var none = await Harness.SearchAsync("zzqqxy", SearchMode.Lexical);
        var elsewhere = await Harness.SearchAsync("invoice", repository: "not-indexed");

        Assert.Empty(none.Hits);
        Assert.Empty(elsewhere.Hits);
    }
}

/// <summary>The sample repository indexed once for all search tests.</summary>
public sealed class IndexedSampleFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("cgr-search");

    internal IndexHarness Harness { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        Harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
        await Harness.SyncAsync("acme", tree);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        _temp.Dispose();
    }
}
