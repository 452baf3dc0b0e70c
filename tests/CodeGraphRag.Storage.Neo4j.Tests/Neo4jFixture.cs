using System.Net;
using Microsoft.Extensions.Logging;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>A graph index over a <see cref="RecordingHandler"/>, with retries immediate.</summary>
internal static class Neo4jFixture
{
    public const string Password = "s3cret-Pa55word!";

    /// <summary>Basic base64("neo4j:" + <see cref="Password"/>).</summary>
    public static readonly string Authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("neo4j:" + Password));

    public static Neo4jOptions Options(bool transactional = false, int batchSize = 1000, int maxRetries = 2, TimeSpan? timeout = null) => new()
    {
        Url = "http://graph.test:7474/",
        User = "neo4j",
        Password = Password,
        Database = "code",
        UseTransactionalApi = transactional,
        BatchSize = batchSize,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.Zero,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>An index whose schema is already ensured (and those requests forgotten), so recorded requests are the operation's own.</summary>
    public static async Task<Neo4jGraphIndex> CreateAsync(RecordingHandler handler, Neo4jOptions options, ILogger<Neo4jGraphIndex>? logger = null)
    {
        handler.Respond(HttpStatusCode.OK, options.UseTransactionalApi ? Responses.TransactionalEmpty(1) : Responses.QueryEmpty);
        var index = new Neo4jGraphIndex(new HttpClient(handler), Microsoft.Extensions.Options.Options.Create(options), logger);
        await index.EnsureSchemaAsync(TestContext.Current.CancellationToken);
        handler.Requests.Clear();
        return index;
    }
}

/// <summary>Canned response bodies in the documented shapes.</summary>
internal static class Responses
{
    /// <summary>An empty result whose bookmark (<c>FB:x</c>) later reads carry after a write (the fixture's schema setup is one).</summary>
    public const string QueryEmpty = """{"data":{"fields":[],"values":[]},"bookmarks":["FB:x"]}""";

    public static string TransactionalEmpty(int statements) =>
        "{\"results\":[" + string.Join(",", Enumerable.Repeat("""{"columns":[],"data":[]}""", statements)) + "],\"errors\":[]}";

    /// <summary>Query API rows: <c>{"data":{"fields":[...],"values":[[...],...]}}</c>.</summary>
    public static string Query(string[] fields, params string[] rows) =>
        "{\"data\":{\"fields\":[" + string.Join(",", fields.Select(f => $"\"{f}\"")) + "],\"values\":[" + string.Join(",", rows) + "]},\"bookmarks\":[\"FB:y\"]}";

    /// <summary>Transactional rows: <c>{"results":[{"columns":[...],"data":[{"row":[...],"meta":[...]}]}],"errors":[]}</c>.</summary>
    public static string Transactional(params (string[] Columns, string[] Rows)[] results) =>
        "{\"results\":[" + string.Join(",", results.Select(r =>
            "{\"columns\":[" + string.Join(",", r.Columns.Select(c => $"\"{c}\"")) + "],\"data\":["
            + string.Join(",", r.Rows.Select(row => "{\"row\":" + row + ",\"meta\":[]}")) + "]}")) + "],\"errors\":[]}";

    public static string Error(string code, string message) =>
        "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}";
}
