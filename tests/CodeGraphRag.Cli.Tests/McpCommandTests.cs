using System.Diagnostics;
using System.Text.Json;
using CodeGraphRag.TestInfrastructure;
using Json.Schema;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CodeGraphRag.Cli.Tests;

/// <summary><c>cgr mcp</c> as an agent runs it: the real process over stdio, driven by the MCP SDK's own client.</summary>
[Collection(CliCollection.Name)]
public sealed class McpCommandTests(IndexedSampleRepository repo) : IClassFixture<IndexedSampleRepository>
{
    private static readonly string[] ReadTools = ["get_context", "get_symbol", "index_status", "list_repositories", "search_code"];

    private static readonly string[] AdminTools = ["index_repository", "sync_repository"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListTools_FiveReadOnlyAndTwoAdminToolsEachWithDescriptionInputAndOutputSchema()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal("codegraphrag", client.ServerInfo?.Name);
        Assert.Contains("search_code", client.ServerInstructions ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(AdminTools.Concat(ReadTools).Order(StringComparer.Ordinal), tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            Assert.True(tool.Description.Length > 60, $"{tool.Name}: description too short for an LLM to act on");
            Assert.Equal(JsonValueKind.Object, tool.ProtocolTool.InputSchema.ValueKind);
            Assert.True(tool.ProtocolTool.OutputSchema is { ValueKind: JsonValueKind.Object }, $"{tool.Name} has no output schema");
            Assert.Equal(ReadTools.Contains(tool.Name), tool.ProtocolTool.Annotations?.ReadOnlyHint);
            Assert.NotEqual(true, tool.ProtocolTool.Annotations?.DestructiveHint);
        }

        var search = tools.Single(t => t.Name == "search_code").ProtocolTool.InputSchema;
        Assert.Equal(["query"], search.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task SearchCode_NaturalLanguageQuery_TargetFirstInTextAndInStructuredContentThatMatchesItsSchema()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        var result = await CallAsync(client, "search_code", new()
        {
            ["query"] = "reject a signed login credential whose lifetime has passed",
            ["repo"] = "acme",
            ["mode"] = "dense",
            ["top"] = 3,
        });

        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        AssertMatchesSchema(tools.Single(t => t.Name == "search_code").ProtocolTool.OutputSchema!.Value, structured);
        Assert.Equal("dense", structured.GetProperty("mode").GetString());
        var hits = structured.GetProperty("hits").EnumerateArray().ToList();
        Assert.InRange(hits.Count, 1, 3);
        Assert.Equal("auth/jwt_validator.py", hits[0].GetProperty("path").GetString());
        Assert.Equal("acme", hits[0].GetProperty("repository").GetString());
        Assert.Contains("lifetime", hits[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var text = Text(result);
        Assert.StartsWith("1. acme/auth/jwt_validator.py:", text, StringComparison.Ordinal);
        Assert.Contains("   | ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContext_TokenBudget_PackedCodeWithinTheBudgetNamingItsHits()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        var result = await CallAsync(client, "get_context", new() { ["query"] = "validate a JWT signature and issuer", ["tokenBudget"] = 600 });

        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        AssertMatchesSchema(tools.Single(t => t.Name == "get_context").ProtocolTool.OutputSchema!.Value, structured);
        var tokens = structured.GetProperty("tokens").GetInt32();
        Assert.InRange(tokens, 1, 600);
        Assert.Equal(600, structured.GetProperty("tokenBudget").GetInt32());
        var hits = structured.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.GetProperty("path").GetString() == "auth/jwt_validator.py");
        Assert.All(hits, h => Assert.Equal(JsonValueKind.Null, h.GetProperty("text").ValueKind));
        Assert.Equal(structured.GetProperty("context").GetString(), Text(result));
        Assert.Contains("hmac.compare_digest", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSymbol_QualifiedMethodName_CalleesParentAndImportsFromTheCodeGraph()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        var result = await CallAsync(client, "get_symbol", new() { ["name"] = "JwtValidator.validate", ["repo"] = "acme" });

        Assert.NotEqual(true, result.IsError);
        AssertMatchesSchema(tools.Single(t => t.Name == "get_symbol").ProtocolTool.OutputSchema!.Value, result.StructuredContent!.Value);
        var symbol = Assert.Single(result.StructuredContent!.Value.GetProperty("symbols").EnumerateArray());
        Assert.Equal("auth/jwt_validator.py", symbol.GetProperty("path").GetString());
        Assert.EndsWith("JwtValidator.validate", symbol.GetProperty("symbol").GetString(), StringComparison.Ordinal);
        var neighbors = symbol.GetProperty("neighbors").EnumerateArray()
            .Select(n => (Relation: n.GetProperty("relation").GetString(), Symbol: n.GetProperty("symbol").GetString()!, Path: n.GetProperty("path").GetString())).ToList();
        Assert.Contains(neighbors, n => n.Relation == "callee" && n.Symbol.EndsWith("JwtValidator._check_expiry", StringComparison.Ordinal));
        Assert.Contains(neighbors, n => n.Relation == "parent" && n.Symbol.EndsWith(".JwtValidator", StringComparison.Ordinal));
        Assert.Contains(neighbors, n => n.Relation == "imports" && n.Path == "auth/keys.py");

        var callers = await CallAsync(client, "get_symbol", new() { ["name"] = "_check_expiry", ["relations"] = "callers" });

        var caller = Assert.Single(Assert.Single(callers.StructuredContent!.Value.GetProperty("symbols").EnumerateArray()).GetProperty("neighbors").EnumerateArray());
        Assert.Equal("caller", caller.GetProperty("relation").GetString());
        Assert.EndsWith("JwtValidator.validate", caller.GetProperty("symbol").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRepositoriesAndIndexStatus_SampleIndexed_NameSourceAndCounts()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        var list = await CallAsync(client, "list_repositories", []);
        var status = await CallAsync(client, "index_status", new() { ["repo"] = "acme" });

        AssertMatchesSchema(tools.Single(t => t.Name == "list_repositories").ProtocolTool.OutputSchema!.Value, list.StructuredContent!.Value);
        AssertMatchesSchema(tools.Single(t => t.Name == "index_status").ProtocolTool.OutputSchema!.Value, status.StructuredContent!.Value);
        var repository = Assert.Single(list.StructuredContent!.Value.GetProperty("repositories").EnumerateArray());
        Assert.Equal("acme", repository.GetProperty("name").GetString());
        Assert.Equal(Path.GetFullPath(repo.Tree), repository.GetProperty("source").GetString());
        Assert.NotEqual(JsonValueKind.Null, repository.GetProperty("lastSyncCompleted").ValueKind);
        var acme = Assert.Single(status.StructuredContent!.Value.GetProperty("repositories").EnumerateArray());
        Assert.Equal(8, acme.GetProperty("filesIndexed").GetInt32());
        Assert.True(acme.GetProperty("chunks").GetInt64() > 8);
        Assert.True(acme.GetProperty("symbols").GetInt64() > 0);
        Assert.Equal(2, acme.GetProperty("languages").GetProperty("python").GetInt32());
        Assert.Contains("files: 8 indexed", Text(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArguments_EachAToolErrorOfOneLine_AndTheSessionGoesOn()
    {
        await using var client = await ConnectAsync(repo.DataDirectory);

        var unknownRepo = await CallAsync(client, "search_code", new() { ["query"] = "retry", ["repo"] = "nope" });
        var badMode = await CallAsync(client, "search_code", new() { ["query"] = "retry", ["mode"] = "fuzzy" });
        var badTop = await CallAsync(client, "search_code", new() { ["query"] = "retry", ["top"] = 0 });
        var badClass = await CallAsync(client, "search_code", new() { ["query"] = "retry", ["fileClass"] = "poetry" });
        var unknownSymbol = await CallAsync(client, "get_symbol", new() { ["name"] = "NoSuchThing" });
        var badRelation = await CallAsync(client, "get_symbol", new() { ["name"] = "validate", ["relations"] = "friends" });
        var smallBudget = await CallAsync(client, "get_context", new() { ["query"] = "retry", ["tokenBudget"] = 10 });
        var after = await CallAsync(client, "search_code", new() { ["query"] = "retry with exponential backoff", ["top"] = 1 });

        AssertToolError(unknownRepo, "unknown repository 'nope' (indexed: acme)");
        AssertToolError(badMode, "mode 'fuzzy' is not one of");
        AssertToolError(badTop, "top must be between 1 and 100");
        AssertToolError(badClass, "fileClass 'poetry' is not one of");
        AssertToolError(unknownSymbol, "no symbol named 'NoSuchThing'");
        AssertToolError(badRelation, "relation 'friends' is not one of");
        AssertToolError(smallBudget, "tokenBudget must be between 50 and");
        Assert.NotEqual(true, after.IsError);
        Assert.Equal("util/RetryPolicy.java", after.StructuredContent!.Value.GetProperty("hits")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task NothingIndexedYet_ToolsSayHowToIndex_ThenAnswerOnceAnIndexExists()
    {
        using var temp = new TempDirectory("cgr-mcp");
        var data = Path.Combine(temp.Path, "data");
        var tree = Path.Combine(temp.Path, "acme");
        Fixtures.CopyTo("sample-repo", tree);
        await using var client = await ConnectAsync(data);

        var before = await CallAsync(client, "list_repositories", []);
        var (code, _, stderr) = await CgrProcess.RunAsync(data, "index", tree);
        var after = await CallAsync(client, "list_repositories", []);

        AssertToolError(before, "run 'cgr index <path>' first");
        Assert.True(code == 0, stderr);
        Assert.NotEqual(true, after.IsError);
        Assert.Equal("acme", Assert.Single(after.StructuredContent!.Value.GetProperty("repositories").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task IndexAndSyncRepository_ThroughTheTools_ProgressNotifiedAndOnlyChangedFilesReread()
    {
        using var temp = new TempDirectory("cgr-mcp");
        var data = Path.Combine(temp.Path, "data");
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(temp.Path, "acme"));
        await using var client = await ConnectAsync(data);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        var notifications = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(notifications);

        var indexed = await client.CallToolAsync("index_repository", new Dictionary<string, object?> { ["source"] = tree }, progress, cancellationToken: Ct);
        var found = await CallAsync(client, "search_code", new() { ["query"] = "retry with exponential backoff", ["top"] = 1 });
        File.AppendAllText(Path.Combine(tree, "util", "RetryPolicy.java"), "\n// jitter keeps clients apart\n");
        File.Delete(Path.Combine(tree, "storage", "cache.go"));
        var synced = await CallAsync(client, "sync_repository", new() { ["repo"] = "acme" });
        var unknown = await CallAsync(client, "sync_repository", new() { ["repo"] = "nope" });
        var gitUrl = await CallAsync(client, "index_repository", new() { ["source"] = "https://example.com/acme/tools.git" });

        Assert.NotEqual(true, indexed.IsError);
        AssertMatchesSchema(tools.Single(t => t.Name == "index_repository").ProtocolTool.OutputSchema!.Value, indexed.StructuredContent!.Value);
        Assert.Equal("acme", indexed.StructuredContent!.Value.GetProperty("repository").GetString());
        Assert.Equal(8, indexed.StructuredContent!.Value.GetProperty("filesIndexed").GetInt32());
        Assert.StartsWith("acme: synced in ", Text(indexed), StringComparison.Ordinal);
        Assert.NotEmpty(notifications);
        Assert.All(notifications, n => Assert.False(string.IsNullOrEmpty(n.Message)));
        Assert.Equal("util/RetryPolicy.java", found.StructuredContent!.Value.GetProperty("hits")[0].GetProperty("path").GetString());
        Assert.NotEqual(true, synced.IsError);
        var sync = synced.StructuredContent!.Value;
        Assert.Equal((1, 6, 1), (sync.GetProperty("filesIndexed").GetInt32(), sync.GetProperty("filesUnchanged").GetInt32(), sync.GetProperty("filesDeleted").GetInt32()));
        AssertToolError(unknown, "unknown repository 'nope'");
        AssertToolError(gitUrl, "cgr mcp indexes folders on this machine");
    }

    [Fact]
    public async Task RawStdio_StdoutCarriesOnlyJsonRpc_AndTheServerExitsCleanlyWhenStdinCloses()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CgrProcess.CgrDll);
        info.ArgumentList.Add("mcp");
        foreach (var (name, value) in CgrProcess.EnvironmentFor(repo.DataDirectory))
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search_code","arguments":{"query":"invoice tax","top":2}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_code","arguments":{"query":"x","repo":"nope"}}}""");
        var lines = new List<string>();
        while (lines.Count < 3 && await process.StandardOutput.ReadLineAsync(Ct) is { } line)
        {
            lines.Add(line);
        }

        process.StandardInput.Close();
        using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        exit.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(exit.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync(Ct));
        var ids = lines.Select(l =>
        {
            using var message = JsonDocument.Parse(l);
            Assert.Equal("2.0", message.RootElement.GetProperty("jsonrpc").GetString());
            return message.RootElement.GetProperty("id").GetInt32();
        });
        Assert.Equal([1, 2, 3], ids.Order());
        Assert.Equal(string.Empty, (await stderr).Trim());
    }

    private static async Task<McpClient> ConnectAsync(string dataDirectory)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "cgr",
            Command = "dotnet",
            Arguments = [CgrProcess.CgrDll, "mcp"],
            EnvironmentVariables = CgrProcess.EnvironmentFor(dataDirectory),
        });
        return await McpClient.CreateAsync(transport, cancellationToken: Ct);
    }

    /// <summary>Collects progress as it is reported (Progress&lt;T&gt; would post to the thread pool and lose the order).</summary>
    private sealed class SynchronousProgress(List<ProgressNotificationValue> values) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }

    private static Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        client.CallToolAsync(tool, arguments, cancellationToken: Ct).AsTask();

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static void AssertToolError(CallToolResult result, string expected)
    {
        Assert.True(result.IsError, $"expected a tool error, got: {Text(result)}");
        var text = Text(result);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text.Trim());
    }

    private static void AssertMatchesSchema(JsonElement schema, JsonElement value)
    {
        var results = JsonSchema.FromText(schema.GetRawText()).Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }
}
