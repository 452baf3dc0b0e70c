using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeGraphRag.Api.Web;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.Server.Tests.AccessServerFixture;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// The codegraphrag.v1 API as HTTP/JSON on the HTTP port (gRPC JSON transcoding, what the search page calls): the same
/// credentials, ACLs (graph neighbours and symbol code included), audit and error statuses as gRPC; and the page's files.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class HttpJsonApiTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoOrBadCredentials_401_WithTheReason()
    {
        foreach (var key in new string?[] { null, "not-a-configured-key" })
        {
            using var response = await SendAsync(HttpMethod.Get, "/v1/repositories", key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var feedback = await SendAsync(HttpMethod.Post, "/v1/feedback", null, new { queryId = "q", resultId = "r", vote = "VOTE_UP" });
        Assert.Equal(HttpStatusCode.Unauthorized, feedback.StatusCode);
    }

    [Fact]
    public async Task TeamACaller_SeesOnlyItsRepository_ThroughEveryRoute_GraphNeighboursAndCodeIncluded()
    {
        var list = await GetJsonAsync("/v1/repositories", TeamAKey);
        Assert.Equal([Shop], list.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        var search = await GetJsonAsync("/v1/search?query=compute%20the%20sales%20tax%20owed&topK=10", TeamAKey);
        var hits = search.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(Shop, h.GetProperty("repository").GetString()));
        Assert.DoesNotContain(BillingOnlyText, search.GetRawText(), StringComparison.Ordinal);
        var checkout = hits.First(h => h.GetProperty("symbol").GetString()!.EndsWith("checkout_total", StringComparison.Ordinal));
        var symbolQuery = $"symbol.repository={Shop}&symbol.path={Uri.EscapeDataString(checkout.GetProperty("path").GetString()!)}"
            + $"&symbol.symbol={Uri.EscapeDataString(checkout.GetProperty("symbol").GetString()!)}";

        // The callee in billing is another group's: not a neighbour for team-a, one for a caller of both groups.
        var neighbours = await GetJsonAsync("/v1/symbols/neighbors?" + symbolQuery, TeamAKey);
        Assert.DoesNotContain(Billing, neighbours.GetRawText(), StringComparison.Ordinal);
        var both = await GetJsonAsync("/v1/symbols/neighbors?" + symbolQuery, BothKey);
        Assert.Contains(both.GetProperty("neighbors").EnumerateArray(), n => n.GetProperty("neighbor").GetProperty("repository").GetString() == Billing
            && n.GetProperty("relation").GetString() == "RELATION_CALLEE");

        var code = await GetJsonAsync("/v1/symbols/code?" + symbolQuery, TeamAKey);
        var chunk = Assert.Single(code.GetProperty("chunks").EnumerateArray());
        Assert.Contains("def checkout_total(cart):", chunk.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(checkout.GetProperty("chunkId").GetString(), chunk.GetProperty("chunkId").GetString());

        // Another group's repository is not found, whichever route names it.
        var billingSymbol = $"symbol.repository={Billing}&symbol.path=billing_core/tax.py&symbol.symbol=billing_core.tax.compute_sales_tax";
        foreach (var hidden in new[] { $"/v1/symbols/code?{billingSymbol}", $"/v1/symbols/neighbors?{billingSymbol}", $"/v1/status?repository={Billing}", $"/v1/search?query=tax&filters.repositories={Billing}" })
        {
            using var response = await SendAsync(HttpMethod.Get, hidden, TeamAKey);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains($"'{Billing}' not found", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var billingCode = await GetJsonAsync("/v1/symbols/code?" + billingSymbol, BothKey);
        Assert.Contains(BillingOnlyText, Assert.Single(billingCode.GetProperty("chunks").EnumerateArray()).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice operation=GetSymbolCode repositories=billing results=0", StringComparison.Ordinal)
            && e.Contains("status=NotFound", StringComparison.Ordinal));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice operation=Search", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsPostAndFeedback_RoundTrip_InvalidFieldsAre400NamingTheField()
    {
        var search = await PostJsonAsync("/v1/search", TeamAKey, new { query = "checkout total of the cart", topK = 3, mode = "SEARCH_MODE_LEXICAL" });
        Assert.Equal("SEARCH_MODE_LEXICAL", search.GetProperty("mode").GetString());
        var hit = search.GetProperty("hits").EnumerateArray().First();
        await PostJsonAsync("/v1/feedback", TeamAKey, new { queryId = search.GetProperty("queryId").GetString(), resultId = hit.GetProperty("chunkId").GetString(), vote = "VOTE_UP" });

        using var badTop = await SendAsync(HttpMethod.Get, "/v1/search?query=x&topK=500", TeamAKey);
        Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
        Assert.StartsWith("top_k:", (await badTop.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("message").GetString(), StringComparison.Ordinal);
        using var badVote = await SendAsync(HttpMethod.Post, "/v1/feedback", TeamAKey, new { queryId = search.GetProperty("queryId").GetString(), resultId = hit.GetProperty("chunkId").GetString() });
        Assert.Equal(HttpStatusCode.BadRequest, badVote.StatusCode);
        using var notJson = new HttpRequestMessage(HttpMethod.Post, "/v1/search") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        notJson.Headers.Add("x-api-key", TeamAKey);
        using var notJsonResponse = await fixture.Server.Http.SendAsync(notJson, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJsonResponse.StatusCode);
    }

    [Fact]
    public async Task AdminRoutes_NeedTheAdminGroup()
    {
        using var asAlice = await SendAsync(HttpMethod.Post, "/v1/sync", TeamAKey, new { repository = Shop });
        Assert.Equal(HttpStatusCode.Forbidden, asAlice.StatusCode);

        // Sync streams its progress as newline-delimited JSON messages, the last one COMPLETED.
        using var asAdmin = await SendAsync(HttpMethod.Post, "/v1/sync", AdminKey, new { repository = Shop });
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        var messages = (await asAdmin.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.Equal(Shop, m.GetProperty("repository").GetString()));
        Assert.Equal("SYNC_PHASE_COMPLETED", messages[^1].GetProperty("phase").GetString());
    }

    [Fact]
    public async Task SearchPage_IsServedWithItsAssets_UnderAStrictContentSecurityPolicy()
    {
        foreach (var path in new[] { "/", SearchPage.RepositoriesPath })
        {
            // The page itself holds no data, so it loads without credentials; its API calls then need them.
            using var page = await fixture.Server.Http.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Contains("script-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(["app.css", "app.js", "cytoscape.min.js", "icon.svg"], SearchPage.AssetNames.Order(StringComparer.Ordinal));
        using var cytoscape = await fixture.Server.Http.GetAsync("/assets/cytoscape.min.js", Ct);
        Assert.Equal("text/javascript", cytoscape.Content.Headers.ContentType!.MediaType);
        Assert.Contains("The Cytoscape Consortium", await cytoscape.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Unchanged files are revalidated, not downloaded again.
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/assets/app.js");
        revalidate.Headers.IfNoneMatch.Add(cytoscape.Headers.ETag!);
        using var differentFile = await fixture.Server.Http.SendAsync(revalidate, Ct);
        Assert.Equal(HttpStatusCode.OK, differentFile.StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/cytoscape.min.js");
        again.Headers.IfNoneMatch.Add(cytoscape.Headers.ETag!);
        using var notModified = await fixture.Server.Http.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        foreach (var missing in new[] { "/assets/index.html", "/assets/nope.js", "/assets/..%2Fapp.js" })
        {
            using var response = await fixture.Server.Http.GetAsync(missing, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task SearchPage_AsksForCredentials_ThenSearchesWithThem_SeeingOnlyReadableRepositories()
    {
        await using var browser = await PageBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.Server.Endpoints.Http + "?q=" + Uri.EscapeDataString("compute the sales tax owed on an amount"));
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#credentials")).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#error")).ToContainTextAsync("needs credentials");
        Assert.Equal(0, await page.Locator("#results > li").CountAsync());

        await page.FillAsync("#credential", TeamAKey);
        await page.PressAsync("#credential", "Enter");
        var hits = page.Locator("#results > li.hit");
        await Microsoft.Playwright.Assertions.Expect(hits.First).ToBeVisibleAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
        Assert.All(await hits.Locator(".hit-head .badge").First.AllInnerTextsAsync(), r => Assert.Equal(Shop, r));
        Assert.DoesNotContain(BillingOnlyText, await page.InnerTextAsync("#results"), StringComparison.Ordinal);
        Assert.Equal(["", Shop], await page.Locator("#repo option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));

        // The only problems on the way were the two unauthenticated API calls (the repository list and the search).
        Assert.Equal(2, browser.Problems.Count);
        Assert.All(browser.Problems, p => Assert.Contains("401", p, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await fixture.Server.Http.SendAsync(request, Ct);
    }

    private async Task<JsonElement> GetJsonAsync(string path, string key)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<JsonElement> PostJsonAsync(string path, string key, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, key, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
