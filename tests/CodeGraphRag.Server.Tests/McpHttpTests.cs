using System.Net;
using System.Text;
using System.Text.Json;
using CodeGraphRag.Api;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static CodeGraphRag.Server.Tests.AccessServerFixture;

namespace CodeGraphRag.Server.Tests;

/// <summary>MCP over streamable HTTP at <c>/mcp</c>: the SDK's client against the server, with its API keys, JWTs and ACLs.</summary>
[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class McpHttpTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Endpoint => new(fixture.Server.Endpoints.Http, CodeGraphRagServer.McpPath);

    [Fact]
    public async Task Initialize_NoOrBadCredentials_401BeforeAnyMessageIsRead_ValidKeyOrJwtAccepted()
    {
        var rejected = new (string Header, string Value)?[]
        {
            null,
            ("x-api-key", "not-a-configured-key-at-all"),
            ("authorization", "Bearer not.a.jwt"),
            ("authorization", "Bearer " + Jwt("mallory", ["team-b"], signingKey: "another-signing-key-of-at-least-32-chars!")),
            ("authorization", "Bearer " + Jwt("late", ["team-b"], lifetime: TimeSpan.FromMinutes(-5))),
        };
        foreach (var credentials in rejected)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PostInitializeAsync(credentials));
        }

        Assert.Equal(HttpStatusCode.OK, await PostInitializeAsync(("x-api-key", TeamAKey)));
        Assert.Equal(HttpStatusCode.OK, await PostInitializeAsync(("authorization", "Bearer " + Jwt("carol", ["team-b"]))));
    }

    [Fact]
    public async Task TeamACaller_EveryTool_SeesOnlyItsRepository_GraphNeighboursIncluded()
    {
        await using var client = await ConnectAsync(("x-api-key", TeamAKey));

        var list = await CallAsync(client, "list_repositories", []);
        var search = await CallAsync(client, "search_code", new() { ["query"] = "compute the sales tax owed on an amount", ["top"] = 10 });
        var context = await CallAsync(client, "get_context", new() { ["query"] = "compute the sales tax owed on an amount", ["tokenBudget"] = 2000 });
        var checkout = await CallAsync(client, "get_symbol", new() { ["name"] = "checkout_total" });
        var hiddenSymbol = await CallAsync(client, "get_symbol", new() { ["name"] = "compute_sales_tax" });
        var hiddenSearch = await CallAsync(client, "search_code", new() { ["query"] = "tax", ["repo"] = Billing });
        var hiddenStatus = await CallAsync(client, "index_status", new() { ["repo"] = Billing });
        var status = await CallAsync(client, "index_status", []);

        var repository = Assert.Single(list.StructuredContent!.Value.GetProperty("repositories").EnumerateArray());
        Assert.Equal(Shop, repository.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, repository.GetProperty("source").ValueKind);
        var hits = search.StructuredContent!.Value.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(Shop, h.GetProperty("repository").GetString()));
        Assert.All(hits, h => Assert.All(h.GetProperty("related").EnumerateArray(), r => Assert.Equal(Shop, r.GetProperty("repository").GetString())));
        Assert.DoesNotContain(BillingOnlyText, Text(search), StringComparison.Ordinal);
        Assert.DoesNotContain(BillingOnlyText, Text(context), StringComparison.Ordinal);
        Assert.Contains("checkout_total", Text(context), StringComparison.Ordinal);
        var symbol = Assert.Single(checkout.StructuredContent!.Value.GetProperty("symbols").EnumerateArray());
        Assert.All(symbol.GetProperty("neighbors").EnumerateArray(), n => Assert.Equal(Shop, n.GetProperty("repository").GetString()));
        Assert.True(hiddenSymbol.IsError);
        Assert.Contains("no symbol named 'compute_sales_tax'", Text(hiddenSymbol), StringComparison.Ordinal);
        Assert.True(hiddenSearch.IsError);
        Assert.Contains($"unknown repository '{Billing}' (indexed: {Shop})", Text(hiddenSearch), StringComparison.Ordinal);
        Assert.True(hiddenStatus.IsError);
        Assert.Equal([Shop], status.StructuredContent!.Value.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice operation=mcp/search_code", StringComparison.Ordinal));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice operation=mcp/search_code repositories=billing results=0", StringComparison.Ordinal)
            && e.Contains("status=InvalidArgument", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallerOfBothGroups_ByJwt_SeesTheCalleeInTheOtherRepository()
    {
        await using var client = await ConnectAsync(("authorization", "Bearer " + Jwt("erin", ["team-a", "team-b"])));

        var checkout = await CallAsync(client, "get_symbol", new() { ["name"] = "checkout_total", ["relations"] = "callees" });
        var list = await CallAsync(client, "list_repositories", []);

        var symbol = Assert.Single(checkout.StructuredContent!.Value.GetProperty("symbols").EnumerateArray());
        var callee = Assert.Single(symbol.GetProperty("neighbors").EnumerateArray());
        Assert.Equal(Billing, callee.GetProperty("repository").GetString());
        Assert.EndsWith("compute_sales_tax", callee.GetProperty("symbol").GetString(), StringComparison.Ordinal);
        Assert.Equal([Billing, Shop], list.StructuredContent!.Value.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AdminTools_AdminIndexesAndSyncsWithProgress_OthersRefused_FoldersOnlyUnderTheAllowedRoots()
    {
        var tree = Path.Combine(fixture.Trees, "tools");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "slug.py"), "def slugify(title):\n    \"\"\"Turns a title into a URL slug.\"\"\"\n    return title.lower().replace(' ', '-')\n");
        await using var admin = await ConnectAsync(("x-api-key", AdminKey));
        await using var teamA = await ConnectAsync(("x-api-key", TeamAKey));
        var notifications = new List<ModelContextProtocol.ProgressNotificationValue>();

        var refusedIndex = await CallAsync(teamA, "index_repository", new() { ["source"] = tree });
        var refusedSync = await CallAsync(teamA, "sync_repository", new() { ["repo"] = Shop });
        var outside = await CallAsync(admin, "index_repository", new() { ["source"] = "/etc" });
        var indexed = await admin.CallToolAsync("index_repository", new Dictionary<string, object?> { ["source"] = tree, ["readGroups"] = "admins" },
            new Collecting(notifications), cancellationToken: Ct);
        File.AppendAllText(Path.Combine(tree, "slug.py"), "\n\ndef unslugify(slug):\n    return slug.replace('-', ' ')\n");
        var synced = await CallAsync(admin, "sync_repository", new() { ["repo"] = "tools" });
        var hiddenFromTeamA = await CallAsync(teamA, "list_repositories", []);

        Assert.True(refusedIndex.IsError);
        Assert.Contains("needs the admin group", Text(refusedIndex), StringComparison.Ordinal);
        Assert.True(refusedSync.IsError);
        Assert.True(outside.IsError);
        Assert.Contains("outside the folders this server may index", Text(outside), StringComparison.Ordinal);
        Assert.NotEqual(true, indexed.IsError);
        Assert.Equal("tools", indexed.StructuredContent!.Value.GetProperty("repository").GetString());
        Assert.Equal(1, indexed.StructuredContent!.Value.GetProperty("filesIndexed").GetInt32());
        Assert.NotEmpty(notifications);
        Assert.NotEqual(true, synced.IsError);
        Assert.Equal(1, synced.StructuredContent!.Value.GetProperty("filesIndexed").GetInt32());
        Assert.DoesNotContain("tools", hiddenFromTeamA.StructuredContent!.Value.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice operation=mcp/index_repository", StringComparison.Ordinal)
            && e.Contains("status=PermissionDenied", StringComparison.Ordinal));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=ops operation=mcp/index_repository", StringComparison.Ordinal)
            && e.Contains("status=PermissionDenied", StringComparison.Ordinal));
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=ops operation=mcp/sync_repository repositories=tools", StringComparison.Ordinal)
            && e.Contains("status=OK", StringComparison.Ordinal));
    }

    private sealed class Collecting(List<ModelContextProtocol.ProgressNotificationValue> values) : IProgress<ModelContextProtocol.ProgressNotificationValue>
    {
        public void Report(ModelContextProtocol.ProgressNotificationValue value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }

    private async Task<HttpStatusCode> PostInitializeAsync((string Header, string Value)? credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Add("Accept", "application/json, text/event-stream");
        if (credentials is { } c)
        {
            request.Headers.TryAddWithoutValidation(c.Header, c.Value);
        }

        using var response = await fixture.Server.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private async Task<McpClient> ConnectAsync((string Header, string Value) credentials)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { [credentials.Header] = credentials.Value },
        });
        return await McpClient.CreateAsync(transport, cancellationToken: Ct);
    }

    private static Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        client.CallToolAsync(tool, arguments, cancellationToken: Ct).AsTask();

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
