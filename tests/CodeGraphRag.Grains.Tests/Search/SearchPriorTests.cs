using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Search;

/// <summary>The file-class priors and filters for tests (long and short queries), on a small repository with code and its tests.</summary>
[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SearchPriorTests(SearchPriorTests.CodeAndTestsFixture fixture) : IClassFixture<SearchPriorTests.CodeAndTestsFixture>
{
    // 48 words: a long query by Graph:LongQueryWords (40), whose words both the code and its tests hold.
    private static readonly string LongQuery = string.Join(' ', Enumerable.Repeat("verify signed token signature expiry rejects expired token", 6));

    [Fact]
    public async Task Search_LongQuery_TestCodeScoredDownUnlessPathFiltered()
    {
        var priors = fixture.Harness.SearchOptions.ClassPriors;
        try
        {
            priors.Short["test"] = 1;
            priors.Long["test"] = 1;
            var before = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);
            Assert.Contains(before.Hits, h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.True(
                before.Hits.ToList().FindIndex(h => h.Path.StartsWith("tests/", StringComparison.Ordinal)) < before.Hits.ToList().FindLastIndex(h => h.Path.StartsWith("app/", StringComparison.Ordinal)),
                $"precondition: some test code ranks above some code ({string.Join(", ", before.Hits.Select(h => h.Path))})");
            Assert.All(before.Hits, h => Assert.False(h.Scores.ContainsKey("class_prior")));
            Assert.All(before.Hits, h => Assert.Equal(h.Path.StartsWith("tests/", StringComparison.Ordinal) ? FileClass.Test : FileClass.Code, h.Class));

            priors.Long["test"] = 0.001;
            var after = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);
            var filtered = await fixture.Harness.SearchAsync("path:tests/* " + LongQuery, SearchMode.Hybrid, top: 50);
            var shortQuery = await fixture.Harness.SearchAsync("verify signed token expiry", SearchMode.Hybrid, top: 50);

            Assert.Equal(before.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal), after.Hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
            var firstTest = after.Hits.ToList().FindIndex(h => h.Path.StartsWith("tests/", StringComparison.Ordinal));
            Assert.True(after.Hits.Skip(firstTest).All(h => h.Path.StartsWith("tests/", StringComparison.Ordinal)), string.Join(", ", after.Hits.Select(h => h.Path)));
            Assert.All(after.Hits.Skip(firstTest), h => Assert.Equal(0.001, h.Scores["class_prior"]));
            Assert.NotEmpty(filtered.Hits);
            Assert.All(filtered.Hits.Concat(shortQuery.Hits), h => Assert.False(h.Scores.ContainsKey("class_prior")));
        }
        finally
        {
            priors.Long["test"] = new ClassPriorOptions().Long["test"];
            priors.Short["test"] = new ClassPriorOptions().Short["test"];
        }
    }

    [Fact]
    public async Task Search_ShortQuery_TestCodeScoredDownUnlessTheQueryAsksForTestsWhichThenLead()
    {
        var priors = fixture.Harness.SearchOptions.ClassPriors;
        try
        {
            priors.Short["test"] = 0.001;
            var scored = await fixture.Harness.SearchAsync("verify signed token expiry", SearchMode.Hybrid, top: 50);
            var askingForTests = await fixture.Harness.SearchAsync("tests of verify signed token expiry", SearchMode.Hybrid, top: 50);
            var kindFilter = await fixture.Harness.SearchAsync("kind:test verify signed token expiry", SearchMode.Hybrid, top: 50);
            var excluded = await fixture.Harness.SearchAsync("-kind:test verify signed token expiry", SearchMode.Hybrid, top: 50);
            var longQuery = await fixture.Harness.SearchAsync(LongQuery, SearchMode.Hybrid, top: 50);

            var firstTest = scored.Hits.ToList().FindIndex(h => h.Class == FileClass.Test);
            Assert.True(firstTest > 0, string.Join(", ", scored.Hits.Select(h => h.Path)));
            Assert.All(scored.Hits.Skip(firstTest), h => Assert.Equal(0.001, h.Scores["class_prior"]));

            // Asking for tests lifts them and scores code down, so a test leads where code led.
            Assert.Equal(FileClass.Code, scored.Hits[0].Class);
            Assert.Equal(FileClass.Test, askingForTests.Hits[0].Class);
            Assert.All(askingForTests.Hits.Where(h => h.Class == FileClass.Test), h => Assert.False(h.Scores.ContainsKey("class_prior")));
            Assert.All(askingForTests.Hits.Where(h => h.Class == FileClass.Code), h => Assert.Equal(priors.CodeWhenOtherAsked, h.Scores["class_prior"]));

            // kind: keeps only that class; -kind: removes it.
            Assert.NotEmpty(kindFilter.Hits);
            Assert.All(kindFilter.Hits, h => Assert.Equal(FileClass.Test, h.Class));
            Assert.NotEmpty(excluded.Hits);
            Assert.All(excluded.Hits, h => Assert.Equal(FileClass.Code, h.Class));

            // Long queries keep their own table, whatever the short one says.
            Assert.All(longQuery.Hits.Where(h => h.Scores.ContainsKey("class_prior")), h => Assert.Equal(priors.Long["test"], h.Scores["class_prior"]));
        }
        finally
        {
            priors.Short["test"] = new ClassPriorOptions().Short["test"];
        }
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
