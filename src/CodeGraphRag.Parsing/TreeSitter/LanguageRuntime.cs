using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CodeGraphRag.Parsing.TreeSitter.Matching;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>One language's native state: its grammar, its compiled query and matcher (once) and a pool of parsers and query cursors.</summary>
/// <remarks>tree-sitter parsers and query cursors are not thread-safe, so each extraction rents its own pair; the query is shared read-only.</remarks>
internal sealed unsafe class LanguageRuntime : IDisposable
{
    private readonly ConcurrentBag<(nint Parser, nint Cursor)> _pool = [];
    private int _disposed;

    public LanguageRuntime(TreeSitterLanguage language, string querySource)
    {
        Id = language.Id;
        Rules = language.Rules;
        Language = language.LanguageFunction();
        var bytes = Encoding.UTF8.GetBytes(querySource);
        fixed (byte* p = bytes)
        {
            Query = TsNative.ts_query_new(Language, p, (uint)bytes.Length, out var offset, out var errorType);
            if (Query == 0)
            {
                var line = querySource[..Math.Min((int)offset, querySource.Length)].Count(c => c == '\n') + 1;
                throw new InvalidOperationException(
                    $"tree-sitter query for '{Id}' does not compile: error type {errorType} at line {line} (byte {offset}).");
            }
        }

        var count = TsNative.ts_query_capture_count(Query);
        Captures = new CaptureInfo[count];
        var names = new string[count];
        for (uint i = 0; i < count; i++)
        {
            var name = TsNative.ts_query_capture_name_for_id(Query, i, out var length);
            names[i] = Encoding.UTF8.GetString(name, (int)length);
            Captures[i] = CaptureInfo.FromName(names[i]);
        }

        CaptureNames = names;

        // CGR: tree-sitter compiles (and so validates) the query and numbers its captures; the matcher runs it.
        Matcher = new PatternMatcher(Language, querySource, names);

        Version = $"ts-{language.Id}/{TreeSitterExtractor.RulesVersion}/{language.GrammarVersion}/{Hash(querySource)}";
    }

    public string Id { get; }

    public LanguageRules Rules { get; }

    public nint Language { get; }

    public nint Query { get; }

    public CaptureInfo[] Captures { get; }

    /// <summary>The query's capture names, indexed by capture id.</summary>
    public IReadOnlyList<string> CaptureNames { get; }

    /// <summary>The query's patterns, matched without tree-sitter's query cursor (the cursor stays for tests as the reference).</summary>
    public PatternMatcher Matcher { get; }

    public string Version { get; }

    /// <summary>Rents a parser (set to this language) and a query cursor.</summary>
    public (nint Parser, nint Cursor) Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_pool.TryTake(out var pair))
        {
            return pair;
        }

        var parser = TsNative.ts_parser_new();
        if (!TsNative.ts_parser_set_language(parser, Language))
        {
            TsNative.ts_parser_delete(parser);
            throw new InvalidOperationException($"tree-sitter grammar '{Id}' has an incompatible ABI version.");
        }

        return (parser, TsNative.ts_query_cursor_new());
    }

    public void Return((nint Parser, nint Cursor) pair)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            Free(pair);
            return;
        }

        TsNative.ts_parser_reset(pair.Parser);
        _pool.Add(pair);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_pool.TryTake(out var pair))
        {
            Free(pair);
        }

        TsNative.ts_query_delete(Query);
    }

    private static void Free((nint Parser, nint Cursor) pair)
    {
        TsNative.ts_query_cursor_delete(pair.Cursor);
        TsNative.ts_parser_delete(pair.Parser);
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6));
}

/// <summary>Static description of a supported language: id, grammar entry point, query resource and rules.</summary>
internal sealed record TreeSitterLanguage(string Id, string GrammarVersion, Func<nint> LanguageFunction, string QueryResource, LanguageRules Rules)
{
    public string LoadQuery()
    {
        var assembly = typeof(TreeSitterLanguage).Assembly;
        using var stream = assembly.GetManifestResourceStream("CodeGraphRag.Parsing.TreeSitter.Queries." + QueryResource)
            ?? throw new InvalidOperationException($"Missing embedded query {QueryResource}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
