using System.Buffers;
using System.Collections.Concurrent;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>
/// Counts BERT WordPiece tokens of printable-ASCII text without producing ids: the chunker's hot path, which asks for
/// the count of every line of every file.
/// </summary>
/// <remarks>
/// <para>
/// CGR: counting through <c>BertTokenizer.Encode</c> was a quarter of C# parse time (about 50 MB/s on lines of code): each call
/// rents id buffers, takes a pooled tokenizer and allocates a string per vocabulary probe. On printable ASCII the
/// tokenizer's rules reduce to a few that need none of that: whitespace separates words, every ASCII character that
/// is not a letter or digit is a word of its own (BERT's punctuation rule), letters are lowercased for uncased
/// vocabularies, and each word is split greedily into the longest vocabulary prefix, then the longest "##"
/// continuations; a word that cannot be split is one [UNK]. Vocabulary probes go through span lookups and are capped
/// at the longest entry. Identifiers repeat heavily in code, so each distinct word's count is remembered (up to
/// <see cref="MaxRememberedWords"/> words, about 10 MB): most words then cost one hash lookup (the speed against the
/// tokenizer is in docs/benchmarks.md, "Token counting without the tokenizer").
/// </para>
/// <para>
/// Anything else (control characters, non-ASCII text, which needs Unicode normalisation and accent stripping, and the
/// special tokens such as "[CLS]" that the tokenizer matches whole) makes <see cref="TryCount"/> decline, and the caller
/// uses the full tokenizer. Equality with the tokenizer's count is tested on real code and on random ASCII.
/// </para>
/// </remarks>
internal sealed class AsciiWordPieceCounter
{
    private const int StackWord = 128;

    /// <summary>Distinct words remembered; past this, new words are counted without being remembered.</summary>
    private const int MaxRememberedWords = 1 << 17;

    private static readonly SearchValues<char> LettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _starts;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _longestStart;
    private readonly int _longestContinuation;
    private readonly bool _lowercase;
    private readonly string[] _specialTokens;
    private readonly ConcurrentDictionary<string, int> _words = new();
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;
    private int _remembered;

    /// <param name="vocabulary">The vocab.txt lines (one token per line, "##" marks a continuation).</param>
    /// <param name="lowercase">True for uncased vocabularies: input letters are lowercased before lookup.</param>
    /// <param name="specialTokens">Tokens the full tokenizer matches whole in the input; text containing one is declined.</param>
    public AsciiWordPieceCounter(IEnumerable<string> vocabulary, bool lowercase, IEnumerable<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var starts = new HashSet<string>(StringComparer.Ordinal);
        var continuations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in vocabulary)
        {
            if (token.Length == 0)
            {
                continue;
            }

            if (token.StartsWith("##", StringComparison.Ordinal))
            {
                var rest = token[2..];
                continuations.Add(rest);
                _longestContinuation = Math.Max(_longestContinuation, rest.Length);
            }
            else
            {
                starts.Add(token);
                _longestStart = Math.Max(_longestStart, token.Length);
            }
        }

        _starts = starts.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        _lowercase = lowercase;
        _specialTokens = [.. specialTokens];
        _wordLookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Tokens in <paramref name="text"/> (special tokens excluded), at most <paramref name="limit"/>; false when the text is
    /// not plain printable ASCII (or holds a special token) and must be counted by the full tokenizer.
    /// </summary>
    public bool TryCount(ReadOnlySpan<char> text, int limit, out int count)
    {
        count = 0;
        if (!IsPlainAscii(text))
        {
            return false;
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                var length = text[i..].IndexOfAnyExcept(LettersAndDigits);
                var end = length < 0 ? text.Length : i + length;
                count += Pieces(text[i..end]);
                i = end;
            }
            else if (c <= ' ')
            {
                // Whitespace separates words and produces nothing; indentation comes in runs.
                var length = text[i..].IndexOfAnyExcept(Whitespace);
                i = length < 0 ? text.Length : i + length;
                continue;
            }
            else
            {
                // Anything else printable is punctuation, one token by itself (every ASCII punctuation mark is in BERT
                // vocabularies; were one missing it would be one [UNK], still one).
                count++;
                i++;
            }

            if (count >= limit)
            {
                count = limit;
                return true;
            }
        }

        return true;
    }

    /// <summary>Only tab, line breaks, space and printable ASCII, and no special token.</summary>
    private bool IsPlainAscii(ReadOnlySpan<char> text)
    {
        // Vectorised: printable ASCII is 0x20..0x7E, plus \t, \n and \r.
        if (text.ContainsAnyExceptInRange(' ', '~'))
        {
            foreach (var c in text)
            {
                if (c is not ('\t' or '\n' or '\r') && (c < ' ' || c > '~'))
                {
                    return false;
                }
            }
        }

        if (text.Contains('['))
        {
            foreach (var special in _specialTokens)
            {
                if (text.Contains(special, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>WordPiece pieces of one word of ASCII letters and digits: greedy longest match, or one [UNK].</summary>
    private int Pieces(ReadOnlySpan<char> word)
    {
        if (_wordLookup.TryGetValue(word, out var known))
        {
            return known;
        }

        var pieces = Split(word);
        // ConcurrentDictionary.Count takes every lock; a racy counter is enough for a bound.
        if (Volatile.Read(ref _remembered) < MaxRememberedWords && _wordLookup.TryAdd(word, pieces))
        {
            Interlocked.Increment(ref _remembered);
        }

        return pieces;
    }

    private int Split(ReadOnlySpan<char> word)
    {
        if (!_lowercase || !word.ContainsAnyInRange('A', 'Z'))
        {
            return Greedy(word);
        }

        if (word.Length <= StackWord)
        {
            Span<char> lower = stackalloc char[StackWord];
            return Greedy(lower[..word.ToLowerInvariant(lower)]);
        }

        var rented = ArrayPool<char>.Shared.Rent(word.Length);
        try
        {
            return Greedy(rented.AsSpan(0, word.ToLowerInvariant(rented)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private int Greedy(ReadOnlySpan<char> word)
    {
        var pieces = 0;
        var position = 0;
        while (position < word.Length)
        {
            var lookup = position == 0 ? _starts : _continuations;
            var length = Math.Min(word.Length - position, position == 0 ? _longestStart : _longestContinuation);
            while (length > 0 && !lookup.Contains(word.Slice(position, length)))
            {
                length--;
            }

            if (length == 0)
            {
                return 1;
            }

            pieces++;
            position += length;
        }

        return pieces;
    }
}
