using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Parsing.Secrets;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Query;
using CodeGraphRag.Sources;
using CodeGraphRag.Storage.Milvus;
using CodeGraphRag.Storage.Milvus.Internals;
using CodeGraphRag.Storage.Neo4j;
using CodeGraphRag.Storage.Neo4j.Internals;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Fuzz;

/// <summary>
/// One piece of code that reads untrusted input, and what must hold for any input: it returns or throws only the
/// exceptions its contract names, and the invariants below. A violation throws <see cref="FuzzViolationException"/> or lets the
/// unexpected exception through; either is a crash.
/// </summary>
/// <param name="Name">Target name (folder of its seeds and found inputs).</param>
/// <param name="Run">Runs the target on one input.</param>
public sealed record FuzzTarget(string Name, Action<byte[]> Run);

/// <summary>An invariant that did not hold.</summary>
public sealed class FuzzViolationException(string message) : Exception(message);

/// <summary>
/// The fuzz targets: file decoding, secret redaction, parsing and chunking per language, query parsing and mentions, eval
/// JSONL, webhook verification, and the readers of Milvus and Neo4j responses (a server or a proxy in between may answer
/// anything; the stores must turn it into their own exception, never an unexplained one).
/// </summary>
public static class FuzzTargets
{
    private static readonly Lazy<ICodeParser> Parser = new(() =>
    {
        var services = new ServiceCollection();
        services.AddCodeGraphRagParsing();
        return services.BuildServiceProvider().GetRequiredService<ICodeParser>();
    });

    private static readonly SecretRedactor Redactor = new();

    /// <summary>File extensions the parse target cycles through (the first input byte picks one), one per supported grammar family.</summary>
    public static readonly string[] ParseExtensions = [".cs", ".py", ".js", ".ts", ".go", ".java", ".rb", ".php", ".rs", ".c", ".cpp", ".md", ".yaml", ".json", ".txt"];

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("decode", Decode),
        new("redact", Redact),
        new("parse", Parse),
        new("query", Query),
        new("eval-jsonl", EvalJsonl),
        new("webhook", Webhook),
        new("milvus-response", MilvusResponseBody),
        new("neo4j-response", Neo4jResponseBody),
    ];

    private static void Decode(byte[] input)
    {
        var ok = TextDecoder.TryDecode(input, out var text, out var error);
        if (ok == (error is not null) || text is null || (!ok && text.Length != 0))
        {
            throw new FuzzViolationException($"TryDecode returned {ok} with error '{error}' and {text?.Length} characters");
        }
    }

    private static void Redact(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        RedactionResult result;
        try
        {
            result = Redactor.Redact(text);
        }
        catch (RegexMatchTimeoutException ex)
        {
            // CGR: FileGrain fails the file on a timeout (never stored unscanned), but an input this small must not take that long.
            throw new FuzzViolationException($"redaction timed out on {text.Length} characters: {ex.Pattern}");
        }

        if (Lines(result.Text) != Lines(text))
        {
            throw new FuzzViolationException($"redaction changed the line count from {Lines(text)} to {Lines(result.Text)}");
        }
    }

    private static void Parse(byte[] input)
    {
        var extension = input.Length == 0 ? ".txt" : ParseExtensions[input[0] % ParseExtensions.Length];
        var text = Encoding.UTF8.GetString(input.AsSpan(Math.Min(1, input.Length)));
        var parsed = Parser.Value.Parse("fuzz/input" + extension, text);
        var lines = Lines(text) + 1;
        foreach (var chunk in parsed.Chunks)
        {
            if (chunk.StartLine < 1 || chunk.EndLine < chunk.StartLine || chunk.EndLine > lines)
            {
                throw new FuzzViolationException($"{extension}: chunk lines {chunk.StartLine}..{chunk.EndLine} outside 1..{lines}");
            }
        }
    }

    private static void Query(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        try
        {
            _ = QueryParser.Parse(text);
        }
        catch (QueryParseException)
        {
            // The documented outcome for a malformed filter (the API answers INVALID_ARGUMENT with its message).
        }

        _ = SymbolMentions.Extract(text, 8);
        _ = QueryMentions.Extract(text, path => path.EndsWith(".py", StringComparison.Ordinal), 8);
    }

    private static void EvalJsonl(byte[] input)
    {
        try
        {
            _ = EvalQueryJsonl.Read(new StringReader(Encoding.UTF8.GetString(input)));
        }
        catch (EvalFormatException)
        {
            // The documented outcome for malformed lines.
        }
    }

    private static void Webhook(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var cut = text.IndexOf('\n', StringComparison.Ordinal);
        var (header, body) = cut < 0 ? (text, string.Empty) : (text[..cut], text[(cut + 1)..]);
        var bytes = Encoding.UTF8.GetBytes(body);
        if (WebhookVerifier.IsValidGitHubSignature("fuzz-secret", bytes, header) && header != WebhookVerifier.GitHubSignature("fuzz-secret", bytes)
            && !string.Equals(header, WebhookVerifier.GitHubSignature("fuzz-secret", bytes), StringComparison.OrdinalIgnoreCase))
        {
            throw new FuzzViolationException("a signature other than the body's HMAC was accepted");
        }

        _ = WebhookVerifier.IsValidGitLabToken("fuzz-token", header);
    }

    private static void MilvusResponseBody(byte[] input)
    {
        try
        {
            var data = MilvusResponse.Parse("search", "fuzz", HttpStatusCode.OK, input);
            _ = SearchHits.Read(data);
            foreach (var row in SearchHits.Rows(data))
            {
                _ = ChunkRows.Read(row);
                _ = ChunkRows.Vector(row, Storage.Milvus.Constants.FieldEmbedding);
            }
        }
        catch (Exception ex) when (ex is MilvusException or FormatException)
        {
            // The documented outcomes: an error envelope or a row the store cannot read, each with its message.
        }
    }

    private static void Neo4jResponseBody(byte[] input)
    {
        try
        {
            var root = Neo4jTransport.Interpret("read", "fuzz", HttpMethod.Post, HttpStatusCode.OK, input);
            foreach (var result in Results(root))
            {
                foreach (var row in result.Rows)
                {
                    foreach (var value in row)
                    {
                        _ = Neo4jValue.String(value);
                        _ = Neo4jValue.Bool(value);
                        _ = Neo4jValue.StringList(value);
                        _ = Neo4jValue.Property(value, "path");
                        if (!Neo4jValue.IsNull(value) && Neo4jValue.Unwrap(value).ValueKind is JsonValueKind.Number or JsonValueKind.String)
                        {
                            _ = Neo4jValue.Int64(value);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is Neo4jException or FormatException)
        {
            // The documented outcomes: an error answer, or a value of the wrong type named in the message.
        }
    }

    private static IEnumerable<Neo4jResult> Results(JsonElement root)
    {
        yield return Neo4jResult.FromQueryApi(root);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                yield return Neo4jResult.FromTransactional(result);
            }
        }
    }

    private static int Lines(string text) => text.Count(c => c == '\n');
}
