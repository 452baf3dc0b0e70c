using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>One chunk's occurrence of a term: its key, the term's count in it and the chunk's length in tokens.</summary>
internal readonly record struct Posting(long Key, int Frequency, int Length);

/// <summary>A term's block: its highest key, size, highest frequency, shortest chunk and encoded postings.</summary>
internal readonly record struct PostingBlock(long LastKey, int Count, int MaxFrequency, int MinLength, byte[] Data);

/// <summary>
/// The chunks' lexical postings kept in blocks of our own (<c>lex_blocks</c>), beside FTS5, so a lexical top-k can skip
/// what cannot reach it (<see cref="LexicalTopK"/>) where FTS5 scores every match.
/// </summary>
/// <remarks>
/// <para>
/// CGR: a term's postings are ordered by chunk key and cut into blocks of 128 to 256 (<see cref="BlockMax"/>); each block
/// row keeps its highest key, its size, its highest term frequency and its shortest chunk, which bound the BM25 score of
/// every posting in it, and the postings themselves as varints (key delta, frequency, length). Writes reach the blocks
/// through <c>lex_queue</c>: triggers on <c>chunks</c> queue each insert, delete and changed lexical text (with the text,
/// as FTS5's external-content triggers do), and the writer folds the queue in the same transaction (<see cref="Fold"/>)
/// into one segment row, so a commit never leaves it behind; the blocks take the segments in when enough pile up
/// (<see cref="MergeSegments"/>), and searches apply the unmerged ones over the blocks (<see cref="ReadTerm"/>). A reader
/// that finds the queue not empty, or the backfill of
/// an older store not finished, uses FTS5 instead.
/// </para>
/// <para>
/// Tokens are FTS5 <c>unicode61</c>'s (<c>tokenchars '_'</c>): runs of letters, numbers, private-use characters and
/// <c>_</c>, case-folded with diacritics removed; row and token totals are kept in <c>meta</c>, so BM25 here uses the
/// same statistics and the same arithmetic as FTS5's <c>bm25()</c> and gives bit-equal scores on ASCII text (folding
/// outside ASCII follows .NET's Unicode tables, FTS5's follow Unicode 6.1).
/// </para>
/// </remarks>
internal static class LexicalPostings
{
    /// <summary>A block splits in two when a fold leaves it larger than this.</summary>
    public const int BlockMax = 256;

    /// <summary>
    /// Segments that make the writer merge them into the blocks: a search reads each (parsed once per store and kept),
    /// a merge rewrites the last block of each term they hold once for all of them.
    /// </summary>
    public const int SegmentsMax = 128;

    /// <summary>Postings in segments that make the writer merge them into the blocks (a bulk index's large files).</summary>
    public const long SegmentPostingsMax = 500_000;

    /// <summary>Chunks per transaction when an existing store's postings are built.</summary>
    public const int BackfillBatch = 20_000;

    public const string RowsKey = "lex_rows";
    public const string TokensKey = "lex_tokens";

    /// <summary>Present while the postings of an older store are being built: the highest chunk key already in them.</summary>
    public const string BackfillKey = "lex_backfill_after";

    /// <summary>The tables, triggers and statistics (migration 9; the backfill then runs when a writer opens the store).</summary>
    public const string CreateSql = $"""
        CREATE TABLE lex_blocks(
            term TEXT NOT NULL, last_key INTEGER NOT NULL, count INTEGER NOT NULL, max_frequency INTEGER NOT NULL,
            min_length INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(term, last_key)) WITHOUT ROWID;
        CREATE TABLE lex_queue(id INTEGER PRIMARY KEY, key INTEGER NOT NULL, op INTEGER NOT NULL, text TEXT NOT NULL);
        CREATE TRIGGER chunks_lex_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO lex_queue(key, op, text) VALUES (new.key, 1, new.lexical_text);
        END;
        CREATE TRIGGER chunks_lex_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO lex_queue(key, op, text) VALUES (old.key, -1, old.lexical_text);
        END;
        CREATE TRIGGER chunks_lex_au AFTER UPDATE OF lexical_text ON chunks WHEN old.lexical_text IS NOT new.lexical_text BEGIN
            INSERT INTO lex_queue(key, op, text) VALUES (old.key, -1, old.lexical_text);
            INSERT INTO lex_queue(key, op, text) VALUES (new.key, 1, new.lexical_text);
        END;
        INSERT INTO meta(key, value) VALUES ('{RowsKey}', '0'), ('{TokensKey}', '0'), ('{BackfillKey}', '0');
        """;

    /// <summary>
    /// The segments (migration 10): each folded transaction's postings as one row, which the blocks take in when enough
    /// of them pile up (<see cref="MergeSegments"/>); ids are never used again, so a parsed segment can be kept by id.
    /// </summary>
    public const string CreateSegmentsSql = """
        CREATE TABLE lex_segments(seg INTEGER PRIMARY KEY AUTOINCREMENT, postings INTEGER NOT NULL, data BLOB NOT NULL);
        """;

    /// <summary>Empties the postings and starts their backfill again (the repair after damage; the next writer builds them).</summary>
    public const string ResetSql = $"""
        DELETE FROM lex_segments;
        {ResetBlocksSql}
        """;

    /// <summary><see cref="ResetSql"/> of a version-9 store, which has no segments.</summary>
    public const string ResetBlocksSql = $"""
        DELETE FROM lex_blocks;
        DELETE FROM lex_queue;
        INSERT OR REPLACE INTO meta(key, value) VALUES ('{RowsKey}', '0'), ('{TokensKey}', '0'), ('{BackfillKey}', '0');
        """;

    /// <summary>
    /// Whether a search may read the postings in this snapshot: built (no backfill under way) and nothing queued (a write
    /// path that did not fold leaves FTS5 answering until the next fold).
    /// </summary>
    public static bool Ready(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = EmbeddedStore.Command(
            connection,
            transaction,
            $"SELECT NOT EXISTS (SELECT 1 FROM meta WHERE key = '{BackfillKey}') AND NOT EXISTS (SELECT 1 FROM lex_queue)");
        return (long)command.ExecuteScalar()! != 0;
    }

    /// <summary>The row count and token total of the indexed chunks.</summary>
    public static (long Rows, long Tokens) ReadTotals(SqliteConnection connection, SqliteTransaction? transaction) =>
        (ReadMeta(connection, transaction, RowsKey) ?? 0, ReadMeta(connection, transaction, TokensKey) ?? 0);

    /// <summary>
    /// Writes the queued changes as a segment (merging the segments into the blocks when enough piled up). While a backfill is under way only chunks it already passed are applied;
    /// the others are read from <c>chunks</c> when it reaches them.
    /// </summary>
    /// <returns>The number of queued changes read.</returns>
    public static int Fold(SqliteConnection connection, SqliteTransaction transaction)
    {
        var backfilledThrough = ReadMeta(connection, transaction, BackfillKey);
        var changes = new List<(long Key, int Op, string Text)>();
        long lastId = 0;
        using (var command = EmbeddedStore.Command(connection, transaction, "SELECT id, key, op, text FROM lex_queue ORDER BY id"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                lastId = reader.GetInt64(0);
                var key = reader.GetInt64(1);
                if (backfilledThrough is not { } through || key <= through)
                {
                    changes.Add((key, (int)reader.GetInt64(2), reader.GetString(3)));
                }
            }
        }

        if (lastId == 0)
        {
            return 0;
        }

        WriteSegment(connection, transaction, changes);

        EmbeddedStore.Execute(connection, transaction, "DELETE FROM lex_queue WHERE id <= $id", ("$id", lastId));
        return changes.Count;
    }

    /// <summary>
    /// Writes the changes as one new segment row (every term's postings in one blob) and the totals; merges the segments
    /// into the blocks when there are <see cref="SegmentsMax"/> of them or <see cref="SegmentPostingsMax"/> postings in them.
    /// </summary>
    private static void WriteSegment(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(long Key, int Op, string Text)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var (byTerm, rows, tokens) = Group(changes);
        EmbeddedStore.Execute(
            connection,
            transaction,
            "INSERT INTO lex_segments(postings, data) VALUES ($n, $d)",
            ("$n", byTerm.Values.Sum(o => (long)o.Count)),
            ("$d", Segment.Encode(byTerm)));
        AddMeta(connection, transaction, RowsKey, rows);
        AddMeta(connection, transaction, TokensKey, tokens);
        long segments, postings;
        using (var command = EmbeddedStore.Command(connection, transaction, "SELECT count(*), coalesce(sum(postings), 0) FROM lex_segments"))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (segments, postings) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (segments >= SegmentsMax || postings >= SegmentPostingsMax)
        {
            MergeSegments(connection, transaction);
        }
    }

    /// <summary>Applies every segment to the blocks, oldest first, and empties them.</summary>
    internal static void MergeSegments(SqliteConnection connection, SqliteTransaction transaction)
    {
        var byTerm = new Dictionary<string, List<(Posting Posting, int Op)>>(StringComparer.Ordinal);
        foreach (var segment in ReadSegments(connection, transaction, cache: null))
        {
            foreach (var term in segment.Terms)
            {
                if (!byTerm.TryGetValue(term, out var ops))
                {
                    ops = [];
                    byTerm[term] = ops;
                }

                segment.AppendOps(term, ops);
            }
        }

        ApplyToBlocks(connection, transaction, byTerm);
        EmbeddedStore.Execute(connection, transaction, "DELETE FROM lex_segments");
    }

    /// <summary>
    /// The segments of this snapshot, oldest first; parsed ones are taken from <paramref name="cache"/> (a segment never
    /// changes and its id is never used again), and the cache drops those merged since.
    /// </summary>
    public static IReadOnlyList<Segment> ReadSegments(SqliteConnection connection, SqliteTransaction? transaction, SegmentCache? cache)
    {
        var ids = new List<(long Id, long Size)>();
        using (var command = EmbeddedStore.Command(connection, transaction, "SELECT seg, length(data) FROM lex_segments ORDER BY seg"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        var segments = new List<Segment>(ids.Count);
        foreach (var (id, size) in ids)
        {
            // CGR: the size too, so a database replaced under a running reader (ids counted again) is not served old ones.
            if (cache is not null && cache.Segments.TryGetValue(id, out var known) && known.Size == size)
            {
                segments.Add(known);
                continue;
            }

            using var command = EmbeddedStore.Command(connection, transaction, "SELECT data FROM lex_segments WHERE seg = $s", ("$s", id));
            var segment = Segment.Parse((byte[])command.ExecuteScalar()!);
            cache?.Segments.AddOrUpdate(id, segment, (_, _) => segment);
            segments.Add(segment);
        }

        if (cache is not null && cache.Segments.Count > ids.Count)
        {
            // CGR: ids only grow, so every cached segment below the oldest one listed has been merged.
            var oldest = ids.Count > 0 ? ids[0].Id : long.MaxValue;
            foreach (var stale in cache.Segments.Keys.Where(k => k < oldest))
            {
                cache.Segments.TryRemove(stale, out _);
            }
        }

        return segments;
    }

    /// <summary>
    /// A term's postings as a search sees them: its stored blocks with the segments' changes applied (the blocks they
    /// touch decoded and made again, the postings after the last block added as new ones).
    /// </summary>
    public static List<PostingBlock> ReadTerm(SqliteConnection connection, SqliteTransaction? transaction, string term, IReadOnlyList<Segment> segments)
    {
        var blocks = new List<PostingBlock>();
        using (var command = EmbeddedStore.Command(
            connection,
            transaction,
            "SELECT last_key, count, max_frequency, min_length, data FROM lex_blocks WHERE term = $t ORDER BY last_key",
            ("$t", term)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                blocks.Add(new PostingBlock(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4)));
            }
        }

        var ops = new List<(Posting Posting, int Op)>();
        foreach (var segment in segments)
        {
            segment.AppendOps(term, ops);
        }

        return ops.Count == 0 ? blocks : Overlay(blocks, ops);
    }

    /// <summary>The blocks with the changes applied in order: a deleted key leaves, an inserted one replaces a posting of its key or is added.</summary>
    private static List<PostingBlock> Overlay(List<PostingBlock> blocks, List<(Posting Posting, int Op)> ops)
    {
        var added = new Dictionary<long, Posting>();
        var removed = new HashSet<long>();
        foreach (var (posting, op) in ops)
        {
            if (op > 0)
            {
                added[posting.Key] = posting;
            }
            else
            {
                // CGR: nothing of the key is left, stored or added (a changed text then inserts the key again).
                added.Remove(posting.Key);
                removed.Add(posting.Key);
            }
        }

        var additions = added.Values.OrderBy(p => p.Key).ToArray();
        var removals = removed.Order().ToArray();
        var result = new List<PostingBlock>(blocks.Count + 1);
        var merged = new List<Posting>(BlockMax * 2);
        var stored = new List<Posting>(BlockMax);
        int a = 0, r = 0;
        foreach (var block in blocks)
        {
            var from = a;
            while (a < additions.Length && additions[a].Key <= block.LastKey)
            {
                a++;
            }

            var removes = false;
            while (r < removals.Length && removals[r] <= block.LastKey)
            {
                removes = true;
                r++;
            }

            if (a == from && !removes)
            {
                result.Add(block);
                continue;
            }

            stored.Clear();
            Decode(block.Data, stored);
            merged.Clear();
            var s = 0;
            for (var i = from; i < a || s < stored.Count;)
            {
                if (s < stored.Count && (i >= a || stored[s].Key < additions[i].Key))
                {
                    if (!removed.Contains(stored[s].Key))
                    {
                        merged.Add(stored[s]);
                    }

                    s++;
                }
                else
                {
                    if (s < stored.Count && stored[s].Key == additions[i].Key)
                    {
                        s++;
                    }

                    merged.Add(additions[i++]);
                }
            }

            if (merged.Count > 0)
            {
                result.Add(MakeBlock(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(merged)));
            }
        }

        for (; a < additions.Length; a += BlockMax)
        {
            result.Add(MakeBlock(additions.AsSpan(a, Math.Min(BlockMax, additions.Length - a))));
        }

        return result;
    }

    /// <summary>
    /// Builds the postings of an older store (or of a repaired one), <see cref="BackfillBatch"/> chunks per transaction,
    /// resuming where an interrupted build stopped.
    /// </summary>
    /// <returns>The number of chunks added.</returns>
    public static long Backfill(SqliteConnection connection)
    {
        long added = 0;
        while (BackfillStep(connection, BackfillBatch) is { } step)
        {
            added += step;
        }

        return added;
    }

    /// <summary>Adds the next <paramref name="batch"/> chunks of a backfill in one transaction.</summary>
    /// <returns>The chunks added (0 for the step that finishes it); null when no backfill is under way.</returns>
    internal static int? BackfillStep(SqliteConnection connection, int batch)
    {
        using var transaction = connection.BeginTransaction();
        if (ReadMeta(connection, transaction, BackfillKey) is not { } after)
        {
            return null;
        }

        Fold(connection, transaction);
        var changes = new List<(long Key, int Op, string Text)>(batch);
        using (var command = EmbeddedStore.Command(
            connection, transaction, "SELECT key, lexical_text FROM chunks WHERE key > $after ORDER BY key LIMIT $n", ("$after", after), ("$n", batch)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                changes.Add((reader.GetInt64(0), 1, reader.GetString(1)));
            }
        }

        if (changes.Count == 0)
        {
            EmbeddedStore.Execute(connection, transaction, $"DELETE FROM meta WHERE key = '{BackfillKey}'");
        }
        else
        {
            Apply(connection, transaction, changes);
            WriteMeta(connection, transaction, BackfillKey, changes[^1].Key);
        }

        transaction.Commit();
        return changes.Count;
    }

    /// <summary>
    /// Calls <paramref name="token"/> for each token of <paramref name="text"/> as FTS5's <c>unicode61</c> tokenizer
    /// (<c>remove_diacritics 2 tokenchars '_'</c>) yields it; ASCII is lower-cased here, other text through <see cref="FoldCase"/>.
    /// </summary>
    public static void Tokenize(string text, Action<ReadOnlySpan<char>> token)
    {
        var span = text.AsSpan();
        Span<char> lowered = stackalloc char[128];
        var i = 0;
        while (i < span.Length)
        {
            if (!IsTokenChar(span, i, out var width))
            {
                i += width;
                continue;
            }

            var start = i;
            var ascii = true;
            while (i < span.Length && IsTokenChar(span, i, out width))
            {
                ascii &= span[i] < 128;
                i += width;
            }

            var run = span[start..i];
            if (!ascii)
            {
                token(FoldCase(run.ToString()));
            }
            else if (run.Length <= lowered.Length)
            {
                var length = run.ToLowerInvariant(lowered);
                token(lowered[..length]);
            }
            else
            {
                token(run.ToString().ToLowerInvariant());
            }
        }
    }

    /// <summary>Whether <paramref name="term"/> is exactly one token (so one posting list answers it as an FTS5 phrase).</summary>
    public static bool IsSingleToken(string term)
    {
        if (term.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < term.Length;)
        {
            if (!IsTokenChar(term, i, out var width))
            {
                return false;
            }

            i += width;
        }

        return true;
    }

    /// <summary>The token <paramref name="term"/> (one token, <see cref="IsSingleToken"/>) is indexed under.</summary>
    public static string Normalize(string term)
    {
        string? result = null;
        Tokenize(term, t => result ??= t.ToString());
        return result ?? string.Empty;
    }

    /// <summary>
    /// Case folding with diacritics removed (FTS5 <c>remove_diacritics 2</c>) for a token outside ASCII: lower case, then
    /// each Latin letter with a diacritic (U+00C0-U+024F, U+1E00-U+1EFF) as its base letter.
    /// </summary>
    /// <remarks>
    /// CGR: a table rather than Unicode decomposition, which the product's invariant-globalization build does not have
    /// (<c>string.Normalize</c> leaves the text as it is there). Made from the Unicode canonical decompositions whose base
    /// is an ASCII letter; letters without one (ø, æ, ł, ß) stay, as they do in FTS5.
    /// </remarks>
    private static string FoldCase(string token)
    {
        var folded = token.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < folded.Length; i++)
        {
            var ch = folded[i];
            if (ch is >= LatinStart and < LatinEnd)
            {
                folded[i] = LatinBases[ch - LatinStart];
            }
            else if (ch is >= LatinAdditionalStart and < LatinAdditionalEnd)
            {
                folded[i] = LatinAdditionalBases[ch - LatinAdditionalStart];
            }
        }

        return new string(folded);
    }

    private const char LatinStart = '\u00C0';
    private const char LatinEnd = '\u0250';
    private const char LatinAdditionalStart = '\u1E00';
    private const char LatinAdditionalEnd = '\u1F00';

    /// <summary>U+00C0-U+024F: each letter's base letter, or the letter itself.</summary>
    private const string LatinBases = "AAAAAAÆCEEEEIIIIÐNOOOOO×ØUUUUYÞßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþyAaAaAaCcCcCcCcDdĐđEeEeEeEeEeGgGgGgGgHhĦħIiIiIiIiIıĲĳJjKkĸLlLlLlĿŀŁłNnNnNnŉŊŋOoOoOoŒœRrRrRrSsSsSsSsTtTtŦŧUuUuUuUuUuUuWwYyYZzZzZzſƀƁƂƃƄƅƆƇƈƉƊƋƌƍƎƏƐƑƒƓƔƕƖƗƘƙƚƛƜƝƞƟOoƢƣƤƥƦƧƨƩƪƫƬƭƮUuƱƲƳƴƵƶƷƸƹƺƻƼƽƾƿǀǁǂǃǄǅǆǇǈǉǊǋǌAaIiOoUuUuUuUuUuǝAaAaǢǣǤǥGgKkOoOoǮǯjǱǲǳGgǶǷNnAaǼǽǾǿAaAaEeEeIiIiOoOoRrRrUuUuSsTtȜȝHhȠȡȢȣȤȥAaEeOoOoOoOoYyȴȵȶȷȸȹȺȻȼȽȾȿɀɁɂɃɄɅɆɇɈɉɊɋɌɍɎɏ";

    /// <summary>U+1E00-U+1EFF: each letter's base letter, or the letter itself.</summary>
    private const string LatinAdditionalBases = "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyẚẛẜẝẞẟAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyỺỻỼỽỾỿ";

    /// <summary>unicode61's default token characters: letters, numbers, private use (<c>L* N* Co</c>), and <c>_</c>.</summary>
    private static bool IsTokenChar(ReadOnlySpan<char> text, int index, out int width)
    {
        var ch = text[index];
        if (ch < 128)
        {
            width = 1;
            return char.IsAsciiLetterOrDigit(ch) || ch == '_';
        }

        if (Rune.DecodeFromUtf16(text[index..], out var rune, out width) != System.Buffers.OperationStatus.Done)
        {
            width = 1;
            return false;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return Rune.IsLetter(rune) || Rune.IsNumber(rune) || category == UnicodeCategory.PrivateUse;
    }

    /// <summary>Applies inserts (op 1) and deletes (op -1) of chunks' lexical texts to the blocks and the totals, in order.</summary>
    internal static void Apply(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(long Key, int Op, string Text)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var (byTerm, rows, tokens) = Group(changes);
        ApplyToBlocks(connection, transaction, byTerm);
        AddMeta(connection, transaction, RowsKey, rows);
        AddMeta(connection, transaction, TokensKey, tokens);
    }

    /// <summary>The changes' postings by term, in the changes' order, and what they add to the row and token totals.</summary>
    private static (Dictionary<string, List<(Posting Posting, int Op)>> ByTerm, long Rows, long Tokens) Group(IReadOnlyList<(long Key, int Op, string Text)> changes)
    {
        var byTerm = new Dictionary<string, List<(Posting Posting, int Op)>>(StringComparer.Ordinal);
        var lookup = byTerm.GetAlternateLookup<ReadOnlySpan<char>>();
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var frequencyLookup = frequencies.GetAlternateLookup<ReadOnlySpan<char>>();
        long rows = 0, tokens = 0;
        foreach (var (key, op, text) in changes)
        {
            frequencies.Clear();
            var length = 0;
            Tokenize(text, token =>
            {
                length++;
                frequencyLookup[token] = frequencyLookup.TryGetValue(token, out var count) ? count + 1 : 1;
            });
            foreach (var (term, frequency) in frequencies)
            {
                if (!lookup.TryGetValue(term, out var list))
                {
                    list = [];
                    byTerm[term] = list;
                }

                list.Add((new Posting(key, frequency, length), op));
            }

            rows += op;
            tokens += op * (long)length;
        }

        return (byTerm, rows, tokens);
    }

    /// <summary>Applies each term's inserts and deletes, in their order for one key, to its stored blocks.</summary>
    private static void ApplyToBlocks(SqliteConnection connection, SqliteTransaction transaction, Dictionary<string, List<(Posting Posting, int Op)>> byTerm)
    {
        using var first = EmbeddedStore.Command(
            connection, transaction, "SELECT last_key, data FROM lex_blocks WHERE term = $t AND last_key >= $k ORDER BY last_key LIMIT 1", ("$t", ""), ("$k", 0L));
        using var last = EmbeddedStore.Command(
            connection, transaction, "SELECT last_key, data FROM lex_blocks WHERE term = $t ORDER BY last_key DESC LIMIT 1", ("$t", ""));
        using var delete = EmbeddedStore.Command(connection, transaction, "DELETE FROM lex_blocks WHERE term = $t AND last_key = $k", ("$t", ""), ("$k", 0L));
        using var following = EmbeddedStore.Command(
            connection, transaction, "SELECT last_key, data FROM lex_blocks WHERE term = $t AND last_key > $k ORDER BY last_key LIMIT 1", ("$t", ""), ("$k", 0L));
        using var update = EmbeddedStore.Command(
            connection,
            transaction,
            "UPDATE lex_blocks SET last_key = $k, count = $n, max_frequency = $f, min_length = $l, data = $d WHERE term = $t AND last_key = $old",
            ("$t", ""), ("$k", 0L), ("$n", 0), ("$f", 0), ("$l", 0), ("$d", Array.Empty<byte>()), ("$old", 0L));
        using var insert = EmbeddedStore.Command(
            connection,
            transaction,
            "INSERT INTO lex_blocks(term, last_key, count, max_frequency, min_length, data) VALUES ($t, $k, $n, $f, $l, $d)",
            ("$t", ""), ("$k", 0L), ("$n", 0), ("$f", 0), ("$l", 0), ("$d", Array.Empty<byte>()));
        var block = new List<Posting>(BlockMax * 2);
        foreach (var (term, list) in byTerm)
        {
            // CGR: by key, keeping the queue's order for one key (a changed text is a delete, then an insert).
            var ordered = list.Select((c, i) => (c.Posting, c.Op, Order: i)).OrderBy(c => c.Posting.Key).ThenBy(c => c.Order).ToList();
            var next = 0;
            while (next < ordered.Count)
            {
                // CGR: the term's last block first: new chunks get the highest keys, so nearly every change is an append
                // to it (one read and one update per term of a written file); other changes look their block up by key.
                block.Clear();
                last.Parameters["$t"].Value = term;
                var storedLastKey = ReadBlock(last, block);
                var isLast = true;
                if (storedLastKey is { } lastKey && ordered[next].Posting.Key <= lastKey)
                {
                    block.Clear();
                    first.Parameters["$t"].Value = term;
                    first.Parameters["$k"].Value = ordered[next].Posting.Key;
                    storedLastKey = ReadBlock(first, block);
                    isLast = storedLastKey == lastKey;
                }

                while (next < ordered.Count && (isLast || ordered[next].Posting.Key <= storedLastKey))
                {
                    var (posting, op, _) = ordered[next++];
                    var at = BinarySearch(block, posting.Key);
                    if (op > 0)
                    {
                        if (at >= 0)
                        {
                            block[at] = posting;
                        }
                        else
                        {
                            block.Insert(~at, posting);
                        }
                    }
                    else if (at >= 0)
                    {
                        block.RemoveAt(at);
                    }
                }

                // CGR: removals wear old blocks down (a rewritten chunk gets a new key at the end); a small one takes in
                // the next, so a long-lived store does not end up with many tiny blocks per term.
                if (storedLastKey is { } old && !isLast && block.Count is > 0 and < BlockMax / 8)
                {
                    following.Parameters["$t"].Value = term;
                    following.Parameters["$k"].Value = old;
                    if (ReadBlock(following, block) is { } merged)
                    {
                        delete.Parameters["$t"].Value = term;
                        delete.Parameters["$k"].Value = merged;
                        delete.ExecuteNonQuery();
                    }
                }

                if (block.Count == 0)
                {
                    if (storedLastKey is { } emptied)
                    {
                        delete.Parameters["$t"].Value = term;
                        delete.Parameters["$k"].Value = emptied;
                        delete.ExecuteNonQuery();
                    }

                    continue;
                }

                // CGR: a block over the limit is cut into pieces of half of it (appends fill the last one again); the
                // stored row becomes the last piece (its key is the block's highest, so it collides with no other row).
                // The row is updated first: an earlier piece may end at its old key.
                var pieces = block.Count <= BlockMax ? 1 : (block.Count + (BlockMax / 2) - 1) / (BlockMax / 2);
                var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(block);
                for (var p = pieces - 1; p >= 0; p--)
                {
                    var piece = postings[(block.Count * p / pieces)..(block.Count * (p + 1) / pieces)];
                    var command = p == pieces - 1 && storedLastKey.HasValue ? update : insert;
                    update.Parameters["$old"].Value = storedLastKey ?? 0L;
                    WriteBlock(command, term, piece);
                }
            }
        }
    }

    private static long? ReadBlock(SqliteCommand command, List<Posting> into)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        Decode(reader.GetFieldValue<byte[]>(1), into);
        return reader.GetInt64(0);
    }

    private static void WriteBlock(SqliteCommand command, string term, ReadOnlySpan<Posting> postings)
    {
        var block = MakeBlock(postings);
        command.Parameters["$t"].Value = term;
        command.Parameters["$k"].Value = block.LastKey;
        command.Parameters["$n"].Value = block.Count;
        command.Parameters["$f"].Value = block.MaxFrequency;
        command.Parameters["$l"].Value = block.MinLength;
        command.Parameters["$d"].Value = block.Data;
        command.ExecuteNonQuery();
    }

    /// <summary>A block of <paramref name="postings"/> (by key, at least one) with its bounds.</summary>
    private static PostingBlock MakeBlock(ReadOnlySpan<Posting> postings)
    {
        var maxFrequency = 0;
        var minLength = int.MaxValue;
        foreach (var posting in postings)
        {
            maxFrequency = Math.Max(maxFrequency, posting.Frequency);
            minLength = Math.Min(minLength, posting.Length);
        }

        return new PostingBlock(postings[^1].Key, postings.Length, maxFrequency, minLength, Encode(postings));
    }

    private static int BinarySearch(List<Posting> block, long key)
    {
        int low = 0, high = block.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var at = block[middle].Key;
            if (at == key)
            {
                return middle;
            }

            if (at < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    /// <summary>Postings as varints: the key's distance from the previous one (the first key whole), frequency, length.</summary>
    public static byte[] Encode(ReadOnlySpan<Posting> postings)
    {
        var buffer = new byte[postings.Length * 15];
        var at = 0;
        var previous = 0L;
        foreach (var posting in postings)
        {
            at = WriteVarint(buffer, at, (ulong)(posting.Key - previous));
            at = WriteVarint(buffer, at, (ulong)posting.Frequency);
            at = WriteVarint(buffer, at, (ulong)posting.Length);
            previous = posting.Key;
        }

        return buffer[..at];
    }

    /// <summary>Appends the postings of <paramref name="data"/> to <paramref name="into"/>.</summary>
    /// <exception cref="InvalidDataException">The block is truncated.</exception>
    public static void Decode(ReadOnlySpan<byte> data, List<Posting> into)
    {
        var at = 0;
        var key = 0L;
        while (at < data.Length)
        {
            key += (long)ReadVarint(data, ref at);
            var frequency = (int)ReadVarint(data, ref at);
            var length = (int)ReadVarint(data, ref at);
            into.Add(new Posting(key, frequency, length));
        }
    }

    /// <summary>Decodes a block into the arrays (at least the block's count long); returns the count.</summary>
    public static int Decode(ReadOnlySpan<byte> data, long[] keys, int[] frequencies, int[] lengths)
    {
        var at = 0;
        var key = 0L;
        var n = 0;
        while (at < data.Length)
        {
            key += (long)ReadVarint(data, ref at);
            keys[n] = key;
            frequencies[n] = (int)ReadVarint(data, ref at);
            lengths[n] = (int)ReadVarint(data, ref at);
            n++;
        }

        return n;
    }

    internal static int WriteVarint(byte[] buffer, int at, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        return at;
    }

    internal static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length)
            {
                throw new InvalidDataException("A lexical postings block ends inside a number.");
            }

            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A lexical postings block holds a number longer than 64 bits.");
    }

    private static long? ReadMeta(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = EmbeddedStore.Command(connection, transaction, "SELECT value FROM meta WHERE key = $k", ("$k", key));
        return command.ExecuteScalar() is string value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
    }

    private static void WriteMeta(SqliteConnection connection, SqliteTransaction transaction, string key, long value) =>
        EmbeddedStore.Execute(
            connection, transaction, "INSERT OR REPLACE INTO meta(key, value) VALUES ($k, $v)", ("$k", key), ("$v", value.ToString(CultureInfo.InvariantCulture)));

    private static void AddMeta(SqliteConnection connection, SqliteTransaction transaction, string key, long delta)
    {
        if (delta != 0)
        {
            EmbeddedStore.Execute(
                connection,
                transaction,
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + $d AS TEXT) WHERE key = $k",
                ("$k", key),
                ("$d", delta));
        }
    }
}
