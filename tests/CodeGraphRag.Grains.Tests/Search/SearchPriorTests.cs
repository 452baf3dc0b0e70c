using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Grains.Search;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Search;

/// <summary>The test-code priors (long and short queries), on a small repository with code and its tests.</summary>
[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SearchPriorTests(SearchPriorTests.CodeAndTestsFixture fixture) : IClassFixture<SearchPriorTests.CodeAndTestsFixture>
{
    // 48 words: a long query by Graph:LongQueryWords (40), whose words both the code and its tests hold.
    private static readonly string LongQuery = string.Join(' ', Enumerable.Repeat("verify signed token signature expiry rejects expired token", 6));

    [Fact]
    public async Task Search_LongQuery_TestCodeScoredDownUnlessShortOrPathFiltered()
    {
        var options = fixture.Harness.SearchOptions;
        try
        {
            // The short-query factor off, so the short query below shows that LongQueryTestWeight leaves it alone.
            options.TestWeight = 1;
            options.LongQueryTestWeight = 1;
            var before = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);
            Assert.Contains(before.Hits, h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.True(
                before.Hits.ToList().FindIndex(h => h.Path.StartsWith("tests/", StringComparison.Ordinal)) < before.Hits.ToList().FindLastIndex(h => h.Path.StartsWith("app/", StringComparison.Ordinal)),
                $"precondition: some test code ranks above some code ({string.Join(", ", before.Hits.Select(h => h.Path))})");
            Assert.All(before.Hits, h => Assert.False(h.Scores.ContainsKey("test_prior")));

            options.LongQueryTestWeight = 0.001;
            var after = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);
            var filtered = await fixture.Harness.SearchAsync("path:tests/* " + LongQuery, SearchMode.Hybrid, top: 50);
            var shortQuery = await fixture.Harness.SearchAsync("verify signed token expiry", SearchMode.Hybrid, top: 50);

            Assert.Equal(before.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal), after.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
            var firstTest = after.Hits.ToList().FindIndex(h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.True(after.Hits.Skip(firstTest).All(h => h.Path.StartsWith("tests/", StringComparison.Ordinal)), string.Join(", ", after.Hits.Select(h => h.Path)));
            Assert.All(after.Hits.Skip(firstTest), h => Assert.Equal(0.001, h.Scores["test_prior"]));
            Assert.NotEmpty(filtered.Hits);
            Assert.All(filtered.Hits.Concat(shortQuery.Hits), h => Assert.False(h.Scores.ContainsKey("test_prior")));
        }
        finally
        {
            options.LongQueryTestWeight = new SearchOptions().LongQueryTestWeight;
            options.TestWeight = new SearchOptions().TestWeight;
        }
    }

    [Fact]
    public async Task Search_ShortQuery_TestWeightScoresTestCodeDownUnlessTheQueryAsksForTests()
    {
        var options = fixture.Harness.SearchOptions;
        try
        {
            options.TestWeight = 0.001;
            var scored = await fixture.Harness.SearchAsync("verify signed token expiry", SearchMode.Hybrid, top: 50);
            var askingForTests = await fixture.Harness.SearchAsync("tests of verify signed token expiry", SearchMode.Hybrid, top: 50);
            var longQuery = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);

            var firstTest = scored.Hits.ToList().FindIndex(h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.True(firstTest > 0, string.Join(", ", scored.Hits.Select(h => h.Path)));
            Assert.All(scored.Hits.Skip(firstTest), h => Assert.Equal(0.001, h.Scores["test_prior"]));
            Assert.Contains(askingForTests.Hits, h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.All(askingForTests.Hits, h => Assert.False(h.Scores.ContainsKey("test_prior")));

            // Long queries keep their own factor (LongQueryTestWeight), whatever TestWeight says.
            Assert.All(longQuery.Hits.Where(h => h.Scores.ContainsKey("test_prior")), h => Assert.Equal(options.LongQueryTestWeight, h.Scores["test_prior"]));
        }
        finally
        {
            options.TestWeight = new SearchOptions().TestWeight;
        }
    }

    [Theory]
    [InlineData("tests for the token verifier", true)]
    [InlineData("where is the Spec runner", true)]
    [InlineData("TESTING helpers", true)]
    [InlineData("latest token verifier", false)]
    [InlineData("contest attestation", false)]
    [InlineData("test_tokens.py", true)]
    [InlineData("", false)]
    public void AsksForTests_MatchesWholeWordsOnly(string query, bool expected)
    {
        Assert.Equal(expected, CodeGraphRag.Retrieval.Priors.TestPaths.AsksForTests(query));
    }

    /// <summary>A repository of token code and its tests, indexed once.</summary>
    public sealed class CodeAndTestsFixture : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new("cgr-priors");

        internal IndexHarness Harness { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var tree = Path.Combine(_temp.Path, "tree");
            Directory.CreateDirectory(Path.Combine(tree, "app"));
            Directory.CreateDirectory(Path.Combine(tree, "tests"));
            await File.WriteAllTextAsync(Path.Combine(tree, "app", "tokens.py"), """"
                import hmac
                import time


                def verify(token, key):
                    """Verify a signed token: check its signature, then reject it when its expiry has passed."""
                    body, signature = token.rsplit(".", 1)
                    if not hmac.compare_digest(sign(body, key), signature):
                        raise ValueError("bad signature")
                    if expiry_of(body) < time.time():
                        raise ValueError("expired token")
                    return body


                def sign(body, key):
                    return hmac.new(key, body.encode(), "sha256").hexdigest()
                """");
            await File.WriteAllTextAsync(Path.Combine(tree, "tests", "test_tokens.py"), """
                import pytest

                from app.tokens import sign, verify


                def test_verify_rejects_expired_signed_token():
                    token = "body." + sign("body", b"key")
                    with pytest.raises(ValueError, match="expired token"):
                        verify(token, b"key")


                def test_verify_rejects_bad_signature_of_signed_token():
                    with pytest.raises(ValueError, match="bad signature"):
                        verify("body.forged", b"key")
                """);
            Harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
            await Harness.SyncAsync("tokens", tree);
        }

        public async ValueTask DisposeAsync()
        {
            await Harness.DisposeAsync();
            _temp.Dispose();
        }
    }
}
