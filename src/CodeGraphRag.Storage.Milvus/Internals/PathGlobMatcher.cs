using System.Text;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>
/// Path globs with the embedded store's semantics (SQLite GLOB with <c>[</c> taken literally): <c>*</c> matches any run of
/// characters including <c>/</c>, <c>?</c> exactly one character (code point), everything else itself, case-sensitive.
/// </summary>
internal sealed class PathGlobMatcher
{
    private readonly Rune[] _pattern;

    public PathGlobMatcher(string glob)
    {
        Glob = glob;
        _pattern = glob.EnumerateRunes().ToArray();
        var wildcard = glob.AsSpan().IndexOfAny('*', '?');
        HasWildcards = wildcard >= 0;
        var literal = HasWildcards ? glob[..wildcard] : glob;

        // CGR: LIKE treats '%' and '_' as wildcards and '\' as its escape, and how a server unescapes a prefix differs by
        // version; pushing down only the part before any of them is always correct because the glob is checked after.
        var special = literal.AsSpan().IndexOfAny('%', '_', '\\');
        PushdownPrefix = special < 0 ? literal : literal[..special];
    }

    public string Glob { get; }

    public bool HasWildcards { get; }

    /// <summary>A literal prefix every matching path starts with and that is safe inside a <c>like "prefix%"</c> pattern.</summary>
    public string PushdownPrefix { get; }

    public bool IsMatch(string path)
    {
        var text = path.EnumerateRunes().ToArray();
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < _pattern.Length && _pattern[p].Value == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < _pattern.Length && (_pattern[p].Value == '?' || _pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _pattern[p].Value == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }
}
