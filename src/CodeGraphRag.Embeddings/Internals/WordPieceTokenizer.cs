using System.Buffers;
using System.Collections.Concurrent;
using CodeGraphRag.Abstractions.Embeddings;
using FastBertTokenizer;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>BERT WordPiece tokenization through FastBertTokenizer, safe to call from many threads at once.</summary>
/// <remarks>
/// <para>
/// CGR: only the span overload of <c>BertTokenizer.Encode</c> is used. The string overload (1.2.6) sizes its buffer
/// on the first call and then ignores a smaller <c>maximumTokens</c>, which produced over-long inputs; the span
/// overload truncates to the span it is given and still ends with [SEP].
/// </para>
/// <para>
/// A <c>BertTokenizer</c> keeps working state between calls, so one instance serves one thread at a time. Instead of
/// one instance behind a lock (which serialised the token counting of every parsing thread and the tokenization of
/// large embedding batches), instances are pooled: a thread takes one, or loads another from the vocabulary text kept
/// in memory. The pool holds at most as many as ever ran at once, which the thread pool bounds.
/// </para>
/// </remarks>
internal sealed class WordPieceTokenizer : ITokenCounter
{
    /// <summary>The special tokens that <c>BertTokenizer</c> matches whole in input text (its defaults) and [MASK].</summary>
    private static readonly string[] SpecialTokens = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"];

    private readonly ConcurrentBag<BertTokenizer> _idle = [];
    private readonly string _vocabulary;
    private readonly bool _lowercase;
    private readonly AsciiWordPieceCounter _ascii;
    private int _instances;

    public WordPieceTokenizer(ModelDescriptor model)
    {
        MaxTokens = model.MaxTokens;
        _lowercase = model.Lowercase;
        using (var vocab = model.OpenVocabulary())
        {
            _vocabulary = vocab.ReadToEnd();
        }

        // Load one now so that a bad vocabulary fails at construction, not at the first text.
        _idle.Add(Create());
        _ascii = new AsciiWordPieceCounter(_vocabulary.Split('\n').Select(static line => line.TrimEnd('\r')), _lowercase, SpecialTokens);
    }

    /// <summary>Tokens per encoded text, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; }

    /// <summary>Tokenizer instances created so far (at most the number of threads that ever tokenized at once).</summary>
    public int Instances => Volatile.Read(ref _instances);

    /// <summary>Token ids of <paramref name="text"/> with [CLS] and [SEP], truncated to <see cref="MaxTokens"/>.</summary>
    public long[] Encode(string text) => Run(text, MaxTokens, static (ids, count) => ids[..count].ToArray());

    /// <inheritdoc/>
    /// <remarks>True: BERT pre-tokenization splits at whitespace before WordPiece runs, so no token crosses a line break.</remarks>
    public bool CountsAddUpOverLines => true;

    /// <inheritdoc/>
    public int CountTokens(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        return limit <= 0 ? 0 : _ascii.TryCount(text, limit, out var count) ? count : CountWithTokenizer(text, limit);
    }

    /// <inheritdoc/>
    /// <remarks>Printable ASCII is counted in place (<see cref="AsciiWordPieceCounter"/>); other text is copied once for the full tokenizer.</remarks>
    public int CountTokens(ReadOnlySpan<char> text, int limit) =>
        limit <= 0 ? 0 : _ascii.TryCount(text, limit, out var count) ? count : CountWithTokenizer(text.ToString(), limit);

    /// <summary>The count through <c>BertTokenizer.Encode</c>: the reference that the ASCII fast path must equal.</summary>
    internal int CountWithTokenizer(string text, int limit)
    {
        // A WordPiece token covers at least one character (twice that leaves room for Unicode decomposition),
        // so a huge limit never allocates more than the text can fill.
        var room = (int)Math.Min(limit, (2L * text.Length) + 2) + 2;
        return Math.Min(Math.Max(Run(text, room, static (_, count) => count) - 2, 0), limit);
    }

    /// <summary>Encodes into pooled buffers of <paramref name="room"/> tokens with a pooled tokenizer; <paramref name="read"/> sees the ids.</summary>
    private T Run<T>(string text, int room, ReadIds<T> read)
    {
        var ids = ArrayPool<long>.Shared.Rent(room);
        var mask = ArrayPool<long>.Shared.Rent(room);
        var tokenizer = Take();
        try
        {
            var count = tokenizer.Encode(text, ids.AsSpan(0, room), mask.AsSpan(0, room), padTo: null);
            return read(ids.AsSpan(0, room), count);
        }
        finally
        {
            _idle.Add(tokenizer);
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
        }
    }

    private BertTokenizer Take() => _idle.TryTake(out var tokenizer) ? tokenizer : Create();

    private BertTokenizer Create()
    {
        var tokenizer = new BertTokenizer();
        using (var reader = new StringReader(_vocabulary))
        {
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: _lowercase);
        }

        Interlocked.Increment(ref _instances);
        return tokenizer;
    }

    private delegate T ReadIds<T>(ReadOnlySpan<long> ids, int count);
}
