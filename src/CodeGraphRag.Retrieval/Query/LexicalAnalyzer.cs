using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace CodeGraphRag.Retrieval.Query;

/// <summary>
/// Turns code and queries into the lexical terms every lexical backend indexes and searches.
/// </summary>
/// <remarks>
/// <para>
/// An identifier is a run of letters, digits and <c>_</c>; a <c>-</c> between a letter or digit and a
/// letter joins kebab-case words (<c>max-width</c>) but <c>n-1</c> stays two tokens. Each identifier is
/// split at <c>_</c>, <c>-</c>, lower-to-upper case changes (<c>getUser</c>), the end of an acronym
/// (<c>HTTPServer</c> to <c>http server</c>) and letter/digit changes (<c>sha256Hash</c> to
/// <c>sha 256 hash</c>). Identifiers of more than one part are also emitted whole, lower-cased, with the
/// separators removed, so <c>get_user</c>, <c>getUser</c> and <c>GetUser</c> all yield <c>getuser</c>.
/// </para>
/// <para>
/// Every term holds only lower-case letters and digits, so the text is safe for any tokenizer that splits
/// on non-alphanumerics (FTS5 <c>unicode61</c>, Lucene standard). Runs longer than
/// <see cref="MaxTokenLength"/> characters (base64, hashes) are dropped. All members are thread-safe.
/// </para>
/// </remarks>
public static class LexicalAnalyzer
{
    /// <summary>Identifier runs longer than this are data, not names, and are not indexed.</summary>
    public const int MaxTokenLength = 128;

    private const byte Other = 0;
    private const byte Lower = 1;
    private const byte Upper = 2;
    private const byte Digit = 3;
    private const byte Underscore = 4;
    private const byte Hyphen = 5;

    private static readonly byte[] s_ascii = BuildAsciiTable();

    private static readonly FrozenSet<string> s_stopwords = new[]
    {
        "a", "about", "an", "and", "are", "as", "at", "be", "been", "being", "by", "can", "could", "did",
        "do", "does", "doing", "for", "from", "had", "has", "have", "having", "how", "i", "in", "into", "is",
        "it", "its", "me", "my", "of", "on", "or", "our", "should", "so", "some", "than", "that", "the",
        "their", "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were",
        "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The English stopwords <see cref="QueryTerms"/> removes (plain words only; identifiers are kept whole).</summary>
    public static IReadOnlySet<string> Stopwords => s_stopwords;

    /// <summary>The lexical text of <paramref name="code"/>: its terms, space-separated, in order, repeats kept (for term frequency).</summary>
    /// <param name="code">Any text: code, a path, a symbol name.</param>
    /// <returns>Lower-case terms separated by single spaces; empty when the text holds no identifier.</returns>
    public static string ToLexicalText(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length == 0)
        {
            return string.Empty;
        }

        // CGR: an identifier of n characters yields at most n (whole) + n (parts) + n + 1 (spaces) characters,
        // and identifiers are separated by at least one input character, so 3 x input + 1 always fits.
        var buffer = ArrayPool<char>.Shared.Rent((code.Length * 3) + 16);
        try
        {
            var writer = new TermWriter(buffer);
            Tokenize(code.AsSpan(), ref writer);
            return writer.Length == 0 ? string.Empty : new string(buffer, 0, writer.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The analysed terms of a user query: split like <see cref="ToLexicalText"/>, de-duplicated in first-seen order, stopwords removed.</summary>
    /// <param name="query">The query text (inline filters already removed).</param>
    /// <returns>Distinct lower-case terms made of letters and digits only; when every term is a stopword, the stopwords are kept.</returns>
    /// <remarks>
    /// A stopword is removed when it stands alone or as a part of an identifier (<c>getOrCreate</c> keeps <c>getorcreate</c>,
    /// <c>get</c>, <c>create</c>). Single-character terms are removed too unless nothing else is left (<c>x</c> stays <c>x</c>;
    /// <c>sha1 of a</c> becomes <c>sha1 sha</c>).
    /// </remarks>
    public static IReadOnlyList<string> QueryTerms(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = ToLexicalText(query);
        if (text.Length == 0)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<string>();
        foreach (var range in text.AsSpan().Split(' '))
        {
            var term = text[range];
            if (seen.Add(term))
            {
                all.Add(term);
            }
        }

        var kept = all.FindAll(t => !s_stopwords.Contains(t));
        if (kept.Count == 0)
        {
            kept = all;
        }

        // CGR: single characters (the c, d, e of a split hash or a UUID, loop variables) each match a third to three
        // quarters of all chunks, so a lexical query pays for nearly the whole index while BM25 gives them almost no
        // weight: they multiplied the cost of a file-name query several times over (docs/benchmarks.md).
        var informative = kept.FindAll(t => t.Length > 1);
        return informative.Count > 0 ? informative : kept;
    }

    private static void Tokenize(ReadOnlySpan<char> text, ref TermWriter writer)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = Classify(text[i]);
            if (c is Other or Hyphen)
            {
                i++;
                continue;
            }

            var start = i;
            i++;
            while (i < text.Length)
            {
                var k = Classify(text[i]);
                if (k is Lower or Upper or Digit or Underscore)
                {
                    i++;
                }
                else if (k == Hyphen && i + 1 < text.Length && Classify(text[i + 1]) is Lower or Upper
                    && Classify(text[i - 1]) is Lower or Upper or Digit)
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (i - start <= MaxTokenLength)
            {
                EmitIdentifier(text[start..i], ref writer);
            }
        }
    }

    [SkipLocalsInit]
    private static void EmitIdentifier(ReadOnlySpan<char> id, ref TermWriter writer)
    {
        // CGR: at most MaxTokenLength parts; boundaries are part start/end pairs.
        Span<int> bounds = stackalloc int[(MaxTokenLength * 2) + 2];
        var parts = 0;
        var partStart = -1;
        var prev = Other;
        for (var j = 0; j < id.Length; j++)
        {
            var k = Classify(id[j]);
            if (k is Underscore or Hyphen)
            {
                if (partStart >= 0)
                {
                    bounds[parts * 2] = partStart;
                    bounds[(parts * 2) + 1] = j;
                    parts++;
                    partStart = -1;
                }

                prev = k;
                continue;
            }

            if (partStart >= 0 && prev == Upper && k == Lower && j - 1 > partStart && Classify(id[j - 2]) == Upper)
            {
                // CGR: "HTTPServer": the last capital of an acronym starts the next word.
                bounds[parts * 2] = partStart;
                bounds[(parts * 2) + 1] = j - 1;
                parts++;
                partStart = j - 1;
            }
            else if (partStart >= 0 && IsBoundary(prev, k))
            {
                bounds[parts * 2] = partStart;
                bounds[(parts * 2) + 1] = j;
                parts++;
                partStart = j;
            }
            else if (partStart < 0)
            {
                partStart = j;
            }

            prev = k;
        }

        if (partStart >= 0)
        {
            bounds[parts * 2] = partStart;
            bounds[(parts * 2) + 1] = id.Length;
            parts++;
        }

        if (parts == 0)
        {
            return;
        }

        if (parts > 1)
        {
            writer.BeginTerm();
            for (var p = 0; p < parts; p++)
            {
                writer.AppendLower(id[bounds[p * 2]..bounds[(p * 2) + 1]]);
            }
        }

        for (var p = 0; p < parts; p++)
        {
            writer.BeginTerm();
            writer.AppendLower(id[bounds[p * 2]..bounds[(p * 2) + 1]]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBoundary(byte prev, byte current) =>
        prev != current && (prev == Digit || current == Digit || (prev == Lower && current == Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Classify(char c)
    {
        if (c < 128)
        {
            return s_ascii[c];
        }

        if (char.IsUpper(c))
        {
            return Upper;
        }

        if (char.IsLetter(c))
        {
            return Lower;
        }

        return char.IsDigit(c) ? Digit : Other;
    }

    private static byte[] BuildAsciiTable()
    {
        var table = new byte[128];
        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = Lower;
        }

        for (var c = 'A'; c <= 'Z'; c++)
        {
            table[c] = Upper;
        }

        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = Digit;
        }

        table['_'] = Underscore;
        table['-'] = Hyphen;
        return table;
    }

    private ref struct TermWriter(char[] buffer)
    {
        private readonly Span<char> _buffer = buffer;

        public int Length { get; private set; }

        public void BeginTerm()
        {
            if (Length > 0)
            {
                _buffer[Length++] = ' ';
            }
        }

        public void AppendLower(ReadOnlySpan<char> part)
        {
            var dest = _buffer.Slice(Length, part.Length);
            for (var j = 0; j < part.Length; j++)
            {
                var ch = part[j];
                dest[j] = ch < 128 ? (ch is >= 'A' and <= 'Z' ? (char)(ch | 0x20) : ch) : char.ToLowerInvariant(ch);
            }

            Length += part.Length;
        }
    }
}
