using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Retrieval.Query;

/// <summary>
/// Path globs with the semantics every store applies (SQLite GLOB): <c>*</c> matches any run of characters including
/// <c>/</c>, <c>?</c> one character, <c>[abc]</c>/<c>[^abc]</c> a class; case-sensitive.
/// </summary>
public static class PathGlob
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="path"/> matches <paramref name="glob"/>.</summary>
    public static bool IsMatch(string glob, string path) => Cache.GetOrAdd(glob, Compile).IsMatch(path);

    /// <summary>The literal prefix before the first wildcard (what backends can push down as a prefix filter).</summary>
    public static string LiteralPrefix(string glob)
    {
        var i = glob.IndexOfAny(['*', '?', '[']);
        return i < 0 ? glob : glob[..i];
    }

    private static Regex Compile(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    var body = glob[(i + 1)..close];
                    var negate = body.StartsWith('^');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    sb.Append('[').Append(negate ? "^" : string.Empty).Append(body.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
