using System.Globalization;
using System.Text;

namespace CodeGraphRag.Cli.Output;

/// <summary>
/// Indexed text made safe to print as text: control characters (escape sequences that retitle, clear or move the
/// terminal, OSC 8 links, carriage returns that overwrite a line, C1 controls) and bidirectional overrides are shown as
/// <c>\xHH</c> / <c>\uHHHH</c> instead of being obeyed. Newlines and tabs stay. JSON output keeps the exact text.
/// </summary>
internal static class TerminalText
{
    public static string Neutralize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfUnsafe(text, 0);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafeAt(text, i))
            {
                builder.Append(c);
            }
            else if (c <= '\u00FF')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return builder.ToString();
    }

    private static int IndexOfUnsafe(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (IsUnsafeAt(text, i))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the character at <paramref name="i"/> must be shown escaped (a carriage return ending a CRLF line is kept).</summary>
    private static bool IsUnsafeAt(string text, int i)
        => IsUnsafe(text[i]) && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n');

    /// <summary>C0 controls other than newline and tab, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.</summary>
    private static bool IsUnsafe(char c)
        => (char.IsControl(c) && c is not '\n' and not '\t') || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
