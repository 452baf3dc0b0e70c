using System.Text;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Retrieval.Query;

/// <summary>Cleans a long query (an issue report) before it is searched. Thread-safe.</summary>
public static partial class QueryText
{
    /// <summary>
    /// <paramref name="text"/> without the lines that only pair a name with a version (<c>pip list</c>, <c>conda
    /// list</c>, <c>xr.show_versions()</c>: <c>attrs   19.1.0</c>, <c>libhdf5: 1.10.4</c>, <c>numpy==1.21.0</c>; not <c>x = 1.5</c>); the
    /// text itself when it has none or holds nothing else.
    /// </summary>
    /// <remarks>
    /// An issue's environment dump can be hundreds of package names: rare words that match unrelated code in the lexical
    /// stage, and tokens that push the description out of the embedding model's window.
    /// </remarks>
    public static string WithoutVersionListings(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!VersionLine().IsMatch(text))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        var dropped = false;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text[range];
            if (VersionLine().IsMatch(line))
            {
                dropped = true;
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append('\n');
            }

            kept.Append(line);
        }

        var cleaned = kept.ToString();
        return dropped && cleaned.AsSpan().ContainsAnyExcept(" \t\r\n") ? cleaned : text;
    }

    [GeneratedRegex(@"^[ \t]*\p{L}[\p{L}\p{Nd}_.\-\[\]]*(?:[ \t]*(?::|==)[ \t]*|[ \t]+)v?\d+(?:\.\d+)+[\p{L}\p{Nd}_.+\-]*(?:[ \t]+\S+)?[ \t\r]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
