using System.Text;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

/// <summary>
/// Runs a language's extraction patterns over one parsed text twice, with tree-sitter's query cursor (the reference) and
/// with our <c>PatternMatcher</c>, and renders each match as one line: pattern index, then every capture's name, node
/// type and byte range.
/// </summary>
internal static unsafe class PatternOracle
{
    public static (List<string> Reference, List<string> Matcher) Matches(TreeSitterExtractor extractor, string language, string text)
    {
        var runtime = extractor.Runtime(language);
        var names = runtime.CaptureNames;
        var bytes = Encoding.UTF8.GetBytes(text);
        var pair = runtime.Rent();
        nint tree = 0;
        try
        {
            fixed (byte* p = bytes)
            {
                tree = ParseControl.Parse(pair.Parser, p, bytes.Length, TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            var root = TsNative.ts_tree_root_node(tree);
            var reference = new List<string>();
            TsNative.ts_query_cursor_exec(pair.Cursor, runtime.Query, root);
            while (TsNative.ts_query_cursor_next_match(pair.Cursor, out var match))
            {
                reference.Add(Render(match.PatternIndex, new ReadOnlySpan<TsQueryCapture>(match.Captures, match.CaptureCount), names));
            }

            var matcher = new List<string>();
            runtime.Matcher.Run(root, (pattern, captures) => matcher.Add(Render(pattern, captures, names)), CancellationToken.None);
            return (reference, matcher);
        }
        finally
        {
            if (tree != 0)
            {
                TsNative.ts_tree_delete(tree);
            }

            runtime.Return(pair);
        }
    }

    /// <summary>The facts of <paramref name="text"/> from the query cursor and from the matcher.</summary>
    public static (SyntaxFacts Reference, SyntaxFacts Matcher) Facts(string language, string text)
    {
        using var reference = new TreeSitterExtractor { UseQueryCursor = true };
        using var matcher = new TreeSitterExtractor();
        return (reference.Extract(language, "src/sample", text), matcher.Extract(language, "src/sample", text));
    }

    private static string Render(int pattern, ReadOnlySpan<TsQueryCapture> captures, IReadOnlyList<string> names)
    {
        var sb = new StringBuilder().Append('#').Append(pattern);
        var ordered = captures.ToArray().OrderBy(c => c.Index).ThenBy(c => TsNative.ts_node_start_byte(c.Node));
        foreach (var c in ordered)
        {
            sb.Append(' ').Append(names[(int)c.Index]).Append('=').Append(TsDocument.Type(c.Node))
                .Append('[').Append(TsNative.ts_node_start_byte(c.Node)).Append(',').Append(TsNative.ts_node_end_byte(c.Node)).Append(')');
        }

        return sb.ToString();
    }
}
