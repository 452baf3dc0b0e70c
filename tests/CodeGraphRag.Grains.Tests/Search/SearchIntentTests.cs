using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Search;

/// <summary>
/// Query intent and symbol mentions on a repository whose changelog repeats every feature's wording: code leads unless
/// the question asks for the changelog, and identifiers find the files that define them.
/// </summary>
[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SearchIntentTests(SearchIntentTests.ChangelogFixture fixture) : IClassFixture<SearchIntentTests.ChangelogFixture>
{
    public static TheoryData<string, string> Features => new()
    {
        { "retry failed uploads with exponential backoff", "storage/uploads.py" },
        { "rotate signing keys every thirty days", "auth/keys.py" },
        { "export invoices as csv with a header row", "billing/export.py" },
    };

    [Theory]
    [MemberData(nameof(Features))]
    public async Task FeatureQuestion_ImplementingFileRanksFirst_ChangelogFirstWhenAskedFor(string question, string implementation)
    {
        foreach (var mode in new[] { SearchMode.Lexical, SearchMode.Hybrid, SearchMode.HybridGraph })
        {
            var plain = await fixture.Harness.SearchAsync(question, mode, top: 10);
            var asked = await fixture.Harness.SearchAsync("changelog entry: " + question, mode, top: 10);

            Assert.Equal(implementation, plain.Hits[0].Path);
            Assert.Equal(FileClass.Code, plain.Hits[0].Class);
            Assert.Equal("CHANGELOG.md", asked.Hits[0].Path);
            Assert.Equal(FileClass.Changelog, asked.Hits[0].Class);
        }
    }

    [Theory]
    [MemberData(nameof(Features))]
    public async Task FilesRequested_ImplementingFileRanksFirstWithItsBestChunks(string question, string implementation)
    {
        foreach (var mode in new[] { SearchMode.Lexical, SearchMode.Hybrid, SearchMode.HybridGraph })
        {
            var response = await fixture.Harness.Client.GetGrain<CodeGraphRag.Abstractions.Grains.ISearchGrain>(0)
                .SearchAsync(new SearchRequest(question, Mode: mode, Top: 3, Files: true), TestContext.Current.CancellationToken);

            var files = Assert.IsAssignableFrom<IReadOnlyList<FileHit>>(response.Files);
            Assert.Equal(implementation, files[0].Path);
            Assert.Equal(FileClass.Code, files[0].Class);
            Assert.InRange(files.Count, 1, 3);
            Assert.Equal(Enumerable.Range(1, files.Count), files.Select(f => f.Rank));
            Assert.NotEmpty(files[0].Chunks);
            Assert.All(files[0].Chunks, c => Assert.Equal(implementation, c.Path));
            Assert.Equal(files.Count, files.Select(f => f.Path).Distinct().Count());
            Assert.True(response.Hits.Count <= 3);
        }
    }

    [Fact]
    public async Task SymbolMention_BacktickedAndDottedIdentifiers_FindTheDefiningFileFirst_CommonWordsDoNot()
    {
        // The question's words match the changelog and the docs page better than the defining file, which holds none of
        // them but the identifier.
        var backticked = await fixture.Harness.SearchAsync("what calls `reconcile_ledger` in the changelog entry about invoices", SearchMode.Hybrid, top: 10);
        var dotted = await fixture.Harness.SearchAsync("why does Ledger.reconcile_ledger skip invoices", SearchMode.Hybrid, top: 10);
        var plainWords = await fixture.Harness.SearchAsync("invoices ledger", SearchMode.Hybrid, top: 10);

        Assert.Equal("billing/ledger.py", backticked.Hits.First(h => h.Class == FileClass.Code).Path);
        Assert.Contains(backticked.Hits, h => h.Scores.ContainsKey("symbol") && h.Path == "billing/ledger.py");
        Assert.Equal("billing/ledger.py", dotted.Hits[0].Path);
        Assert.All(plainWords.Hits, h => Assert.False(h.Scores.ContainsKey("symbol")));
    }

    /// <summary>Three features in code, a changelog that repeats their wording, and a ledger whose code names none of it.</summary>
    public sealed class ChangelogFixture : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new("cgr-intent");

        internal IndexHarness Harness { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var tree = Path.Combine(_temp.Path, "tree");
            foreach (var folder in new[] { "storage", "auth", "billing" })
            {
                Directory.CreateDirectory(Path.Combine(tree, folder));
            }

            await File.WriteAllTextAsync(Path.Combine(tree, "storage", "uploads.py"), """
                def upload_with_retry(client, blob, attempts=5):
                    delay = 1.0
                    for attempt in range(attempts):
                        if client.put(blob):
                            return True
                        delay = delay * 2  # exponential backoff before the next retry of the failed upload
                        client.sleep(delay)
                    return False
                """);
            await File.WriteAllTextAsync(Path.Combine(tree, "auth", "keys.py"), """
                ROTATION_DAYS = 30


                def rotate_signing_keys(store, now):
                    # rotate the signing keys every thirty days
                    for key in store.signing_keys():
                        if (now - key.created).days >= ROTATION_DAYS:
                            store.replace(key)
                """);
            await File.WriteAllTextAsync(Path.Combine(tree, "billing", "export.py"), """
                import csv


                def export_invoices(invoices, out):
                    writer = csv.writer(out)
                    writer.writerow(["number", "customer", "total"])  # the header row
                    for invoice in invoices:
                        writer.writerow([invoice.number, invoice.customer, invoice.total])
                """);
            await File.WriteAllTextAsync(Path.Combine(tree, "billing", "ledger.py"), """
                class Ledger:
                    def reconcile_ledger(self, entries):
                        return sum(e.amount for e in entries if not e.void)
                """);
            await File.WriteAllTextAsync(Path.Combine(tree, "CHANGELOG.md"), """
                # Changelog

                ## 2.1.0
                - Retry failed uploads with exponential backoff: a failed upload is retried with exponential backoff.
                - Rotate signing keys every thirty days; signing keys older than thirty days rotate.
                - Export invoices as CSV with a header row; invoices export as CSV with a header row.
                - Why reconcile skips void invoices in the ledger: invoices that are void are skipped.

                ## 2.0.0
                - Retry uploads, rotate keys, export invoices: first release.
                """);
            Harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
            await Harness.SyncAsync("acme", tree);
        }

        public async ValueTask DisposeAsync()
        {
            await Harness.DisposeAsync();
            _temp.Dispose();
        }
    }
}
