using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Playwright;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// The search page in a real headless Chromium against a server that has indexed the sample repository: a linked
/// search runs, related code and the graph view open, feedback reaches the query log, the repositories page shows the
/// sync, and no console error, page error or failed request happens on the way.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class SearchPageTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>, IAsyncLifetime
{
    private const string JwtQuery = "validate the signature of a jwt bearer token";

    private PageBrowser _browser = null!;

    private string Origin => fixture.Server.Endpoints.Http.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync() => _browser = await PageBrowser.LaunchAsync();

    public async ValueTask DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task LinkedSearch_Runs_RelatedCodeAndGraphOpen_NodeExpands_FeedbackIsLogged()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"{Origin}/?q={Uri.EscapeDataString(JwtQuery)}&repo={ApiServerFixture.Repository}");

        // Opening the link ran the search: ranked hits, the query and scope kept in the form, query terms highlighted.
        var hits = page.Locator("#results > li.hit");
        await Assertions.Expect(hits.First).ToBeVisibleAsync();
        Assert.Equal(JwtQuery, await page.InputValueAsync("#q"));
        Assert.Equal(ApiServerFixture.Repository, await page.InputValueAsync("#repo"));
        Assert.Contains("jwt_validator.py", await hits.First.Locator(".hit-path").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await hits.First.Locator("pre.code mark").CountAsync() > 0, "query terms are highlighted in the snippet");
        Assert.Matches(@"^\d+ results? in \d+ ms \(hybrid\+graph\)$", await page.InnerTextAsync("#summary"));

        // A hit with related code expands into it, and a related item opens its code.
        var withRelated = hits.Filter(new LocatorFilterOptions { Has = page.Locator("button.related-toggle:not([disabled])") }).First;
        await withRelated.Locator("button.related-toggle").ClickAsync();
        var related = withRelated.Locator("ul.related > li");
        await Assertions.Expect(related.First).ToBeVisibleAsync();
        Assert.Equal("true", await withRelated.Locator("button.related-toggle").GetAttributeAsync("aria-expanded"));
        await related.First.Locator("button.link").ClickAsync();
        await Assertions.Expect(related.First.Locator("pre.code .line").First).ToBeVisibleAsync();

        // The graph view around the top hit: the symbol, its neighbours, its code; clicking a neighbour opens and expands it.
        await hits.First.Locator("button.graph-open").ClickAsync();
        await Assertions.Expect(page.Locator("#graph-panel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#graph")).ToHaveAttributeAsync("data-expanded", "1");
        await Assertions.Expect(page.Locator("#graph-code pre.code").First).ToBeVisibleAsync();
        var nodes = int.Parse(await page.Locator("#graph").GetAttributeAsync("data-nodes") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(nodes >= 2, $"the graph shows the symbol and its neighbours ({nodes} nodes)");
        var neighbour = await page.EvaluateAsync<NodeOnScreen>("""
            () => {
              const cy = window.cgrGraph();
              const node = cy.nodes().filter(n => !n.hasClass('root'))[0];
              const box = document.getElementById('graph').getBoundingClientRect();
              const p = node.renderedPosition();
              return { x: box.left + p.x, y: box.top + p.y, symbol: node.data('ref').symbol || '', path: node.data('ref').path };
            }
            """);
        await page.Mouse.ClickAsync(neighbour.X, neighbour.Y);
        await Assertions.Expect(page.Locator("#graph")).ToHaveAttributeAsync("data-expanded", "2");
        await Assertions.Expect(page.Locator("#graph-code h2")).ToContainTextAsync(neighbour.Path);

        // A screenshot of the page with the graph open has real content (many colours, not a blank frame).
        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png });
        var colours = await CountColoursAsync(page, screenshot);
        Assert.True(colours > 50, $"the screenshot looks blank ({colours} distinct colours)");
        if (Environment.GetEnvironmentVariable("CGR_PAGE_SCREENSHOT") is { Length: > 0 } keep)
        {
            await File.WriteAllBytesAsync(keep, screenshot, TestContext.Current.CancellationToken);
        }

        await page.ClickAsync("#graph-close");
        await Assertions.Expect(page.Locator("#graph-panel")).ToBeHiddenAsync();

        // Feedback on the top hit reaches the server's query log as an up-vote of that result.
        var chunkId = await hits.First.GetAttributeAsync("data-chunk-id");
        await hits.First.Locator("button.vote[data-vote=VOTE_UP]").ClickAsync();
        await Assertions.Expect(hits.First.Locator(".thanks")).ToHaveTextAsync("Thanks, noted.");
        Assert.Equal("true", await hits.First.Locator("button.vote[data-vote=VOTE_UP]").GetAttributeAsync("aria-pressed"));
        var feedback = new List<FeedbackRecord>();
        await foreach (var record in QueryLogFiles.ReadFeedbackAsync(QueryLogFiles.DirectoryOf(fixture.Server.DataDirectory), TestContext.Current.CancellationToken))
        {
            feedback.Add(record);
        }

        Assert.Contains(feedback, f => f.ResultId == chunkId && f.Vote == FeedbackRecord.Up);
        Assert.Empty(_browser.Problems);
    }

    [Fact]
    public async Task SearchForm_WritesTheQueryIntoTheUrl_BackAndForwardRerun()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(Origin + "/");
        Assert.Equal(0, await page.Locator("#results > li").CountAsync());

        await page.FillAsync("#q", "cache entry expiry");
        await page.SelectOptionAsync("#mode", "lexical");
        await page.FillAsync("#lang", "go");
        await page.ClickAsync("#search-button");
        await Assertions.Expect(page.Locator("#results > li.hit").First).ToBeVisibleAsync();
        var url = new Uri(page.Url);
        Assert.Equal("/", url.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("cache entry expiry", query["q"]);
        Assert.Equal("lexical", query["mode"]);
        Assert.Equal("go", query["lang"]);
        Assert.All(await page.Locator("#results > li.hit .hit-path").AllInnerTextsAsync(), p => Assert.EndsWith(".go", p.Split(':')[0], StringComparison.Ordinal));

        await page.FillAsync("#q", "retry with backoff");
        await page.FillAsync("#lang", string.Empty);
        await page.ClickAsync("#search-button");
        await Assertions.Expect(page.Locator("#results > li.hit .hit-path").First).ToContainTextAsync("RetryPolicy.java");

        await page.GoBackAsync();
        Assert.Equal("cache entry expiry", await page.InputValueAsync("#q"));
        await Assertions.Expect(page.Locator("#results > li.hit .hit-path").First).ToContainTextAsync("cache.go");

        // A query nothing matches says so.
        await page.GotoAsync(Origin + "/?q=zzqxv+qqzzv&mode=lexical");
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync("No code matched “zzqxv qqzzv”.");
        Assert.Empty(_browser.Problems);
    }

    [Fact]
    public async Task RepositoriesPage_ShowsEachRepositoryWithItsSyncStateAndCounts()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(Origin + "/repositories");
        var row = page.Locator($"#repositories tr[data-repository={ApiServerFixture.Repository}]");
        await Assertions.Expect(row).ToBeVisibleAsync();
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal(ApiServerFixture.Repository, cells[0]);
        Assert.Equal("completed", cells[3]);
        var files = fixture.InitialSync[^1].FilesProcessed;
        Assert.Equal($"{files}/{fixture.InitialSync[^1].FilesToProcess} files", cells[4]);
        Assert.True(int.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture) > 0, "chunks");
        Assert.Equal("100", await row.Locator("[role=progressbar]").EvaluateAsync<string>("e => String(Math.round(100 * e.getAttribute('aria-valuenow') / e.getAttribute('aria-valuemax')))"));

        // The repository's name links to a search scoped to it, without reloading the page.
        await row.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#search-view")).ToBeVisibleAsync();
        Assert.Equal(ApiServerFixture.Repository, await page.InputValueAsync("#repo"));
        Assert.Empty(_browser.Problems);
    }

    private static async Task<int> CountColoursAsync(IPage page, byte[] png) => await page.EvaluateAsync<int>("""
        async (data) => {
          const image = new Image();
          image.src = 'data:image/png;base64,' + data;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const pixels = context.getImageData(0, 0, image.width, image.height).data;
          const colours = new Set();
          for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
          return colours.size;
        }
        """, Convert.ToBase64String(png));

    private sealed class NodeOnScreen
    {
        public float X { get; set; }

        public float Y { get; set; }

        public string Symbol { get; set; } = "";

        public string Path { get; set; } = "";
    }
}
