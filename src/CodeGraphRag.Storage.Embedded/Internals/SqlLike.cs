namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>SQLite's <c>LIKE</c> for literal patterns (no wildcards inside): ASCII letters match either case, nothing else is folded.</summary>
internal static class SqlLike
{
    /// <summary><paramref name="value"/> LIKE <paramref name="literal"/> + '%'.</summary>
    public static bool StartsWith(string value, string literal) => value.Length >= literal.Length && EqualAt(value, 0, literal);

    /// <summary><paramref name="value"/> LIKE '%' + <paramref name="literal"/> + '%'.</summary>
    public static bool Contains(string value, string literal)
    {
        for (var start = 0; start + literal.Length <= value.Length; start++)
        {
            if (EqualAt(value, start, literal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqualAt(string value, int start, string literal)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            var a = value[start + i];
            var b = literal[i];
            if (a != b && Fold(a) != Fold(b))
            {
                return false;
            }
        }

        return true;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}
