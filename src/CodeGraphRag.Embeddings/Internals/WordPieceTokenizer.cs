using System.Buffers;
using CodeGraphRag.Abstractions.Embeddings;
using FastBertTokenizer;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>BERT WordPiece tokenization through FastBertTokenizer, safe to call from many threads.</summary>
/// <remarks>
/// CGR: only the span overload of <c>BertTokenizer.Encode</c> is used. The string overload (1.2.6) sizes its buffer
/// on the first call and then ignores a smaller <c>maximumTokens</c>, which produced over-long inputs; the span
/// overload truncates to the span it is given and still ends with [SEP].
/// </remarks>
internal sealed class WordPieceTokenizer : ITokenCounter
{
    private readonly BertTokenizer _tokenizer = new();
    private readonly Lock _gate = new();
    private readonly long[] _ids;
    private readonly long[] _mask;

    public WordPieceTokenizer(ModelDescriptor model)
    {
        MaxTokens = model.MaxTokens;
        using (var vocab = model.OpenVocabulary())
        {
            _tokenizer.LoadVocabulary(vocab, convertInputToLowercase: model.Lowercase);
        }

        _ids = new long[MaxTokens];
        _mask = new long[MaxTokens];
    }

    /// <summary>Tokens per encoded text, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; }

    /// <summary>Token ids of <paramref name="text"/> with [CLS] and [SEP], truncated to <see cref="MaxTokens"/>.</summary>
    public long[] Encode(string text)
    {
        lock (_gate)
        {
            var count = _tokenizer.Encode(text, _ids, _mask, padTo: null);
            return _ids.AsSpan(0, count).ToArray();
        }
    }

    /// <inheritdoc/>
    public int CountTokens(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (limit <= 0)
        {
            return 0;
        }

        // A WordPiece token covers at least one character (twice that leaves room for Unicode decomposition),
        // so a huge limit never allocates more than the text can fill.
        var room = (int)Math.Min(limit, (2L * text.Length) + 2) + 2;
        var ids = ArrayPool<long>.Shared.Rent(room);
        var mask = ArrayPool<long>.Shared.Rent(room);
        try
        {
            int count;
            lock (_gate)
            {
                count = _tokenizer.Encode(text, ids.AsSpan(0, room), mask.AsSpan(0, room), padTo: null);
            }

            return Math.Min(Math.Max(count - 2, 0), limit);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
        }
    }
}
