using System.Collections.Concurrent;
using System.Text;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// One folded transaction's lexical postings changes (<see cref="LexicalPostings"/>): per term, inserts and deletes in the
/// transaction's order, written as one row so a file's write costs one insert instead of a block rewrite per term.
/// </summary>
/// <remarks>
/// CGR: the row is the term count, then per term (in ordinal order) its UTF-8 length and bytes, and its changes' length
/// and bytes; a change is varints: key doubled (plus one for a delete), frequency, length. Parsing reads the term list
/// only; a term's changes are decoded when a search or a merge asks for them.
/// </remarks>
internal sealed class Segment
{
    private readonly byte[] _data;
    private readonly Dictionary<string, (int Offset, int Length)> _terms;

    private Segment(byte[] data, Dictionary<string, (int Offset, int Length)> terms)
    {
        _data = data;
        _terms = terms;
    }

    /// <summary>The row's size in bytes.</summary>
    public long Size => _data.Length;

    /// <summary>The segment's terms.</summary>
    public IEnumerable<string> Terms => _terms.Keys;

    /// <summary>The row of <paramref name="byTerm"/>'s changes.</summary>
    public static byte[] Encode(Dictionary<string, List<(Posting Posting, int Op)>> byTerm)
    {
        using var stream = new MemoryStream();
        var buffer = new byte[16];
        void Varint(ulong value) => stream.Write(buffer, 0, LexicalPostings.WriteVarint(buffer, 0, value));

        Varint((ulong)byTerm.Count);
        var changes = new byte[1024];
        foreach (var term in byTerm.Keys.Order(StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(term);
            Varint((ulong)bytes.Length);
            stream.Write(bytes);
            var ops = byTerm[term];
            if (changes.Length < ops.Count * 15)
            {
                changes = new byte[ops.Count * 15];
            }

            var at = 0;
            foreach (var (posting, op) in ops)
            {
                at = LexicalPostings.WriteVarint(changes, at, ((ulong)posting.Key << 1) | (op < 0 ? 1UL : 0UL));
                at = LexicalPostings.WriteVarint(changes, at, (ulong)posting.Frequency);
                at = LexicalPostings.WriteVarint(changes, at, (ulong)posting.Length);
            }

            Varint((ulong)at);
            stream.Write(changes, 0, at);
        }

        return stream.ToArray();
    }

    /// <summary>Reads a segment row's term list.</summary>
    /// <exception cref="InvalidDataException">The row is truncated or its lengths point outside it.</exception>
    public static Segment Parse(byte[] data)
    {
        var at = 0;
        var count = (int)LexicalPostings.ReadVarint(data, ref at);
        var terms = new Dictionary<string, (int, int)>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var length = (int)LexicalPostings.ReadVarint(data, ref at);
            if (length < 0 || at + length > data.Length)
            {
                throw new InvalidDataException("A lexical postings segment ends inside a term.");
            }

            var term = Encoding.UTF8.GetString(data, at, length);
            at += length;
            var size = (int)LexicalPostings.ReadVarint(data, ref at);
            if (size < 0 || at + size > data.Length)
            {
                throw new InvalidDataException("A lexical postings segment ends inside a term's postings.");
            }

            terms[term] = (at, size);
            at += size;
        }

        return new Segment(data, terms);
    }

    /// <summary>Appends the term's changes in this segment, in order, to <paramref name="into"/> (none when it has none).</summary>
    public void AppendOps(string term, List<(Posting Posting, int Op)> into)
    {
        if (!_terms.TryGetValue(term, out var range))
        {
            return;
        }

        var data = _data.AsSpan(range.Offset, range.Length);
        var at = 0;
        while (at < data.Length)
        {
            var keyAndOp = LexicalPostings.ReadVarint(data, ref at);
            var frequency = (int)LexicalPostings.ReadVarint(data, ref at);
            var length = (int)LexicalPostings.ReadVarint(data, ref at);
            into.Add((new Posting((long)(keyAndOp >> 1), frequency, length), (keyAndOp & 1) != 0 ? -1 : 1));
        }
    }
}

/// <summary>Parsed segments by id, kept by a store for its searches (a segment never changes; merged ones are dropped).</summary>
internal sealed class SegmentCache
{
    public ConcurrentDictionary<long, Segment> Segments { get; } = new();
}
