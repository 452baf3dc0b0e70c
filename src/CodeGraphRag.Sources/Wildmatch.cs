namespace CodeGraphRag.Sources;

/// <summary>Glob matching with gitignore semantics: <c>*</c>, <c>?</c> and classes never match '/', <c>**</c> between slashes matches any number of folders.</summary>
internal static class Wildmatch
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text) => Match(pattern, 0, text, 0);

    private static bool Match(ReadOnlySpan<char> p, int pi, ReadOnlySpan<char> t, int ti)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            switch (c)
            {
                case '\\':
                    pi++;
                    if (pi >= p.Length || ti >= t.Length || t[ti] != p[pi])
                    {
                        return false;
                    }

                    pi++;
                    ti++;
                    break;
                case '?':
                    if (ti >= t.Length || t[ti] == '/')
                    {
                        return false;
                    }

                    pi++;
                    ti++;
                    break;
                case '[':
                    if (ti >= t.Length || t[ti] == '/')
                    {
                        return false;
                    }

                    if (!TryMatchClass(p, ref pi, t[ti], out var matched))
                    {
                        // An unterminated class is a literal '['.
                        if (t[ti] != '[')
                        {
                            return false;
                        }

                        pi++;
                    }
                    else if (!matched)
                    {
                        return false;
                    }

                    ti++;
                    break;
                case '*':
                    var start = pi;
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }

                    var isDouble = pi - start >= 2;
                    var boundedBefore = start == 0 || p[start - 1] == '/';
                    var boundedAfter = pi == p.Length || p[pi] == '/';
                    if (isDouble && boundedBefore && boundedAfter)
                    {
                        if (pi == p.Length)
                        {
                            return true;
                        }

                        // "**/": zero or more whole folders.
                        if (Match(p, pi + 1, t, ti))
                        {
                            return true;
                        }

                        for (var k = ti; k < t.Length; k++)
                        {
                            if (t[k] == '/' && Match(p, pi + 1, t, k + 1))
                            {
                                return true;
                            }
                        }

                        return false;
                    }

                    if (pi == p.Length)
                    {
                        return t[ti..].IndexOf('/') < 0;
                    }

                    for (var k = ti; k <= t.Length; k++)
                    {
                        if (Match(p, pi, t, k))
                        {
                            return true;
                        }

                        if (k < t.Length && t[k] == '/')
                        {
                            break;
                        }
                    }

                    return false;
                default:
                    if (ti >= t.Length || t[ti] != c)
                    {
                        return false;
                    }

                    pi++;
                    ti++;
                    break;
            }
        }

        return ti == t.Length;
    }

    /// <summary>Parses the class at <paramref name="pi"/> ('['); on success moves past ']' and says whether <paramref name="ch"/> is in it.</summary>
    private static bool TryMatchClass(ReadOnlySpan<char> p, ref int pi, char ch, out bool matched)
    {
        matched = false;
        var i = pi + 1;
        var negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate)
        {
            i++;
        }

        var any = false;
        var first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            if (p[i] == '[' && i + 1 < p.Length && p[i + 1] == ':')
            {
                var end = p[(i + 2)..].IndexOf(":]");
                if (end >= 0)
                {
                    var name = p.Slice(i + 2, end);
                    any |= name switch
                    {
                        "alnum" => char.IsAsciiLetterOrDigit(ch),
                        "alpha" => char.IsAsciiLetter(ch),
                        "digit" => char.IsAsciiDigit(ch),
                        "lower" => char.IsAsciiLetterLower(ch),
                        "upper" => char.IsAsciiLetterUpper(ch),
                        "space" => ch is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
                        "xdigit" => char.IsAsciiHexDigit(ch),
                        "punct" => IsAsciiPunctuation(ch),
                        _ => false,
                    };
                    i += end + 4;
                    continue;
                }
            }

            var lo = p[i];
            if (lo == '\\' && i + 1 < p.Length)
            {
                i++;
                lo = p[i];
            }

            var hi = lo;
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                hi = p[i + 2];
                if (hi == '\\' && i + 3 < p.Length)
                {
                    i++;
                    hi = p[i + 2];
                }

                i += 2;
            }

            any |= ch >= lo && ch <= hi;
            i++;
        }

        if (i >= p.Length)
        {
            return false;
        }

        pi = i + 1;
        matched = any != negate;
        return true;
    }

    private static bool IsAsciiPunctuation(char c) => char.IsAscii(c) && (char.IsPunctuation(c) || char.IsSymbol(c));
}
