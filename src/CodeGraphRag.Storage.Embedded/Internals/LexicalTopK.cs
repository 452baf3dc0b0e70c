using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// The BM25 top-k of an OR of single-token terms over <see cref="LexicalPostings"/>: the scores FTS5's <c>bm25()</c> gives,
/// without scoring every match (MaxScore with per-block bounds).
/// </summary>
/// <remarks>
/// <para>
/// CGR: FTS5 scores every chunk that holds any term (0.8 µs each; 431k matches for a 7-term query over 1.26M chunks), since
/// it has no way to skip. Here the terms are ordered by their highest possible contribution (IDF x the best block's
/// frequency and shortest chunk); once k chunks are held, the terms whose bounds together stay below the k-th score
/// cannot make a chunk that holds only them enter, so only the other terms' postings choose the candidates, and the
/// common terms are looked up for those candidates alone, block by block, a block skipped when its own bound cannot lift
/// the candidate to the k-th score (Turtle and Flood's MaxScore; Ding and Suel's block-max bounds).
/// </para>
/// <para>
/// Each candidate's score is summed in the query's term order with FTS5's expression, so it is the same double FTS5
/// computes, and the caller orders by (score, chunk id) as the FTS5 query does. A chunk whose bound equals the k-th score
/// is still scored (ties are decided by chunk id), and bounds are widened by a relative 1e-9 against rounding.
/// </para>
/// </remarks>
internal static class LexicalTopK
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double BoundSlack = 1 + 1e-9;

    /// <summary>
    /// The chunks that can be in the top <paramref name="k"/>: every chunk scoring at least the k-th score (ties
    /// included), by key with its score; the caller orders them by score and chunk id and keeps k.
    /// </summary>
    /// <param name="connection">An open connection, inside <paramref name="transaction"/> (one snapshot).</param>
    /// <param name="transaction">The read transaction.</param>
    /// <param name="terms">Single tokens in the query's order (an FTS5 phrase each, duplicates counted twice as FTS5 does).</param>
    /// <param name="k">How many the caller keeps.</param>
    /// <param name="admitted">Sorted keys a chunk must be among (a repository list), or null for every chunk.</param>
    /// <param name="work">When given, counts what the search scored and decoded.</param>
    /// <param name="segments">The store's parsed segments, or null to parse them for this search.</param>
    public static List<(long Key, double Score)> Search(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<string> terms,
        int k,
        long[]? admitted,
        SearchWork? work = null,
        SegmentCache? segments = null)
    {
        var (rows, tokens) = LexicalPostings.ReadTotals(connection, transaction);
        if (rows <= 0 || k <= 0 || terms.Count == 0)
        {
            return [];
        }

        var averageLength = (double)tokens / (double)rows;
        var unmerged = LexicalPostings.ReadSegments(connection, transaction, segments);
        var loaded = new Dictionary<string, TermBlocks>(StringComparer.Ordinal);
        var cursors = new Cursor[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            if (!loaded.TryGetValue(terms[i], out var blocks))
            {
                blocks = TermBlocks.Load(connection, transaction, terms[i], unmerged);
                loaded[terms[i]] = blocks;
            }

            // CGR: FTS5's IDF, with its floor for terms in more than half the chunks.
            var idf = Math.Log(((double)(rows - blocks.Documents) + 0.5) / ((double)blocks.Documents + 0.5));
            if (idf <= 0.0)
            {
                idf = 1e-6;
            }

            cursors[i] = new Cursor(i, blocks, idf, averageLength);
        }

        // By upper bound, lowest first: a prefix of these is the non-essential set.
        var byBound = cursors.OrderBy(c => c.UpperBound).ThenBy(c => c.Index).ToArray();
        var prefixBound = new double[byBound.Length + 1];
        for (var i = 0; i < byBound.Length; i++)
        {
            prefixBound[i + 1] = prefixBound[i] + byBound[i].UpperBound;
        }

        var heap = new PriorityQueue<double, double>(k);
        var kept = new List<(long Key, double Score)>();
        var threshold = double.NegativeInfinity;
        var essentialFrom = 0;
        var contributions = new double[terms.Count];

        void Offer(long doc, double score)
        {
            if (heap.Count < k)
            {
                heap.Enqueue(score, score);
            }
            else if (score > heap.Peek())
            {
                heap.EnqueueDequeue(score, score);
            }

            kept.Add((doc, score));
            if (heap.Count == k && heap.Peek() > threshold)
            {
                threshold = heap.Peek();
                while (essentialFrom < byBound.Length && prefixBound[essentialFrom + 1] * BoundSlack < threshold)
                {
                    essentialFrom++;
                }

                if (kept.Count > (4 * k) + 64)
                {
                    kept.RemoveAll(h => h.Score < threshold);
                }
            }
        }

        // CGR: walked by key, the first k chunks scored set the threshold, and those are any chunks: the common terms stay
        // essential until k good ones turn up (341 of 1,548 chunks scored in the test's store). The best postings of the
        // term with the highest bound, scored in full first, start it near its final value.
        var seeded = Seed(byBound[^1], cursors, k, admitted, contributions, work);
        foreach (var (doc, score) in seeded)
        {
            Offer(doc, score);
        }

        var seededKeys = seeded.Select(s => s.Key).ToHashSet();
        var admittedAt = 0;
        while (true)
        {
            var doc = long.MaxValue;
            for (var i = essentialFrom; i < byBound.Length; i++)
            {
                doc = Math.Min(doc, byBound[i].Current);
            }

            if (doc == long.MaxValue)
            {
                break;
            }

            if (admitted is not null)
            {
                while (admittedAt < admitted.Length && admitted[admittedAt] < doc)
                {
                    admittedAt++;
                }

                if (admittedAt == admitted.Length)
                {
                    break;
                }

                if (admitted[admittedAt] > doc)
                {
                    for (var i = essentialFrom; i < byBound.Length; i++)
                    {
                        byBound[i].SkipTo(admitted[admittedAt]);
                    }

                    continue;
                }
            }

            Array.Clear(contributions);
            var partial = 0.0;
            for (var i = essentialFrom; i < byBound.Length; i++)
            {
                var cursor = byBound[i];
                if (cursor.Current == doc)
                {
                    var c = cursor.Contribution();
                    contributions[cursor.Index] = c;
                    partial += c;
                    cursor.Next();
                }
            }

            if (seededKeys.Contains(doc))
            {
                continue;
            }

            // The non-essential terms, highest bound first, while they can still lift the chunk to the threshold.
            var reachable = true;
            for (var i = essentialFrom - 1; i >= 0; i--)
            {
                if ((partial + prefixBound[i + 1]) * BoundSlack < threshold)
                {
                    reachable = false;
                    break;
                }

                var cursor = byBound[i];
                if (!cursor.SkipBlocksTo(doc))
                {
                    continue;
                }

                // The block that would hold the chunk cannot lift it either: no need to decode it.
                if ((partial + cursor.BlockBound + prefixBound[i]) * BoundSlack < threshold)
                {
                    reachable = false;
                    break;
                }

                cursor.SkipTo(doc);
                if (cursor.Current == doc)
                {
                    var c = cursor.Contribution();
                    contributions[cursor.Index] = c;
                    partial += c;
                }
            }

            if (!reachable)
            {
                continue;
            }

            var score = Sum(contributions);
            if (work is not null)
            {
                work.Scored++;
            }

            if (score >= threshold)
            {
                Offer(doc, score);
            }
        }

        kept.RemoveAll(h => h.Score < threshold);
        if (work is not null)
        {
            work.Postings = loaded.Values.Sum(b => b.Documents);
            work.BlocksDecoded = cursors.Sum(c => c.BlocksDecoded);
            work.Blocks = loaded.Values.Sum(b => b.LastKeys.Length);
        }

        return kept;
    }

    /// <summary>FTS5's sum, phrase by phrase in query order (an absent term adds 0.0, which changes nothing).</summary>
    private static double Sum(double[] contributions)
    {
        var score = 0.0;
        foreach (var c in contributions)
        {
            score += c;
        }

        return score;
    }

    /// <summary>
    /// Up to <paramref name="k"/> admitted chunks from the best blocks of <paramref name="best"/> (by their own term's
    /// score), each scored in full by looking every term up: exact scores, so the threshold they set is a true k-th score.
    /// </summary>
    private static List<(long Key, double Score)> Seed(Cursor best, Cursor[] cursors, int k, long[]? admitted, double[] contributions, SearchWork? work)
    {
        var candidates = new List<(long Key, double Own)>();
        foreach (var block in best.BlocksByBound())
        {
            if (candidates.Count >= k * 2)
            {
                break;
            }

            foreach (var (key, own) in best.Postings(block))
            {
                if (admitted is null || Array.BinarySearch(admitted, key) >= 0)
                {
                    candidates.Add((key, own));
                }
            }
        }

        var seeded = new List<(long Key, double Score)>(Math.Min(k, candidates.Count));
        // By key, so each term's lookups move forward and decode each of its blocks once.
        foreach (var (key, _) in candidates.OrderByDescending(c => c.Own).ThenBy(c => c.Key).Take(k).OrderBy(c => c.Key))
        {
            Array.Clear(contributions);
            foreach (var cursor in cursors)
            {
                contributions[cursor.Index] = cursor.Probe(key);
            }

            seeded.Add((key, Sum(contributions)));
            if (work is not null)
            {
                work.Scored++;
            }
        }

        return seeded;
    }

    /// <summary>What one search did: for tests and measurements of the skipping.</summary>
    internal sealed class SearchWork
    {
        /// <summary>Chunks whose score was summed.</summary>
        public long Scored { get; set; }

        /// <summary>Postings of the query's terms.</summary>
        public long Postings { get; set; }

        /// <summary>Blocks decoded (a block read by two cursors of one term counts twice).</summary>
        public long BlocksDecoded { get; set; }

        /// <summary>Blocks of the query's distinct terms.</summary>
        public long Blocks { get; set; }
    }

    /// <summary>A term's blocks as stored: their highest keys, bounds and encoded postings.</summary>
    private sealed class TermBlocks
    {
        public required long[] LastKeys { get; init; }

        public required int[] MaxFrequencies { get; init; }

        public required int[] MinLengths { get; init; }

        public required byte[][] Data { get; init; }

        public required int MaxCount { get; init; }

        public required long Documents { get; init; }

        public static TermBlocks Load(SqliteConnection connection, SqliteTransaction transaction, string term, IReadOnlyList<Segment> segments)
        {
            var blocks = LexicalPostings.ReadTerm(connection, transaction, term, segments);
            return new TermBlocks
            {
                LastKeys = [.. blocks.Select(b => b.LastKey)],
                MaxFrequencies = [.. blocks.Select(b => b.MaxFrequency)],
                MinLengths = [.. blocks.Select(b => b.MinLength)],
                Data = [.. blocks.Select(b => b.Data)],
                MaxCount = blocks.Count == 0 ? 0 : blocks.Max(b => b.Count),
                Documents = blocks.Sum(b => (long)b.Count),
            };
        }
    }

    /// <summary>A position in one term's postings, decoding a block only when a posting in it is needed.</summary>
    private sealed class Cursor
    {
        private readonly TermBlocks _blocks;
        private readonly double _idf;
        private readonly double _averageLength;
        private readonly double[] _blockBounds;
        private readonly long[] _keys;
        private readonly int[] _frequencies;
        private readonly int[] _lengths;
        private (int Block, List<(long Key, double Score)> Postings)? _probed;
        private int _block = -1;
        private int _decoded = -1;
        private int _count;
        private int _at;

        public Cursor(int index, TermBlocks blocks, double idf, double averageLength)
        {
            Index = index;
            _blocks = blocks;
            _idf = idf;
            _averageLength = averageLength;
            _blockBounds = new double[blocks.LastKeys.Length];
            for (var b = 0; b < _blockBounds.Length; b++)
            {
                _blockBounds[b] = Score(blocks.MaxFrequencies[b], blocks.MinLengths[b]);
                UpperBound = Math.Max(UpperBound, _blockBounds[b]);
            }

            _keys = new long[blocks.MaxCount];
            _frequencies = new int[blocks.MaxCount];
            _lengths = new int[blocks.MaxCount];
            MoveToBlock(0);
        }

        /// <summary>Blocks this cursor decoded.</summary>
        public int BlocksDecoded { get; private set; }

        /// <summary>The term's position in the query.</summary>
        public int Index { get; }

        /// <summary>The most any chunk can get from this term.</summary>
        public double UpperBound { get; }

        /// <summary>The most a chunk of the current block can get from this term.</summary>
        public double BlockBound => _block < _blockBounds.Length ? _blockBounds[_block] : 0;

        /// <summary>The current posting's key; <see cref="long.MaxValue"/> past the end.</summary>
        public long Current { get; private set; }

        /// <summary>The blocks, best bound first.</summary>
        public IEnumerable<int> BlocksByBound() => Enumerable.Range(0, _blockBounds.Length).OrderByDescending(b => _blockBounds[b]).ThenBy(b => b);

        /// <summary>A block's postings with this term's score for each, decoded apart from the cursor's position.</summary>
        public List<(long Key, double Score)> Postings(int block)
        {
            var keys = new long[_keys.Length];
            var frequencies = new int[_keys.Length];
            var lengths = new int[_keys.Length];
            var count = LexicalPostings.Decode(_blocks.Data[block], keys, frequencies, lengths);
            BlocksDecoded++;
            var result = new List<(long, double)>(count);
            for (var i = 0; i < count; i++)
            {
                result.Add((keys[i], Score(frequencies[i], lengths[i])));
            }

            return result;
        }

        /// <summary>This term's score for the chunk <paramref name="key"/> (0 when it does not hold the term), leaving the position as it is.</summary>
        public double Probe(long key)
        {
            var block = Array.BinarySearch(_blocks.LastKeys, key);
            if (block < 0)
            {
                block = ~block;
            }

            if (block >= _blocks.LastKeys.Length)
            {
                return 0;
            }

            if (_probed?.Block != block)
            {
                _probed = (block, Postings(block));
            }

            foreach (var (at, score) in _probed.Value.Postings)
            {
                if (at == key)
                {
                    return score;
                }
            }

            return 0;
        }

        /// <summary>FTS5's term score for the current posting.</summary>
        public double Contribution() => Score(_frequencies[_at], _lengths[_at]);

        public void Next()
        {
            _at++;
            if (_at >= _count)
            {
                MoveToBlock(_block + 1);
            }
            else
            {
                Current = _keys[_at];
            }
        }

        /// <summary>Moves to the block that may hold <paramref name="key"/> without decoding it; false past the last block.</summary>
        public bool SkipBlocksTo(long key)
        {
            if (Current >= key)
            {
                return Current != long.MaxValue;
            }

            var block = _block;
            while (block < _blocks.LastKeys.Length && _blocks.LastKeys[block] < key)
            {
                block++;
            }

            if (block != _block)
            {
                _block = block;
                _at = 0;
                _count = 0;
                Current = block < _blocks.LastKeys.Length ? long.MinValue : long.MaxValue;
            }

            return block < _blocks.LastKeys.Length;
        }

        /// <summary>Moves to the first posting at or after <paramref name="key"/>.</summary>
        public void SkipTo(long key)
        {
            if (Current >= key)
            {
                return;
            }

            if (!SkipBlocksTo(key))
            {
                return;
            }

            if (_decoded != _block)
            {
                MoveToBlock(_block);
            }

            while (_at < _count && _keys[_at] < key)
            {
                _at++;
            }

            if (_at < _count)
            {
                Current = _keys[_at];
            }
            else
            {
                MoveToBlock(_block + 1);
            }
        }

        private void MoveToBlock(int block)
        {
            _block = block;
            _at = 0;
            if (block >= _blocks.LastKeys.Length)
            {
                _count = 0;
                Current = long.MaxValue;
                return;
            }

            _count = LexicalPostings.Decode(_blocks.Data[block], _keys, _frequencies, _lengths);
            BlocksDecoded++;
            _decoded = block;
            Current = _keys[0];
        }

        // CGR: FTS5's bm25() expression for one phrase, operation for operation, so the double is the same.
        private double Score(int frequency, int length)
        {
            double f = frequency;
            double d = length;
            return _idf * ((f * (K1 + 1.0)) / (f + (K1 * (1 - B + (B * d / _averageLength)))));
        }
    }
}
