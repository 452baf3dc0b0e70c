using System.Text;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Context;

/// <summary>Packs ranked hits and their related code into a token budget for an LLM prompt.</summary>
/// <remarks>
/// <para>
/// Greedy in rank order: each hit becomes a block, a header <c>path:start-end (symbol)</c> and its code in a
/// fence tagged with the language, followed by its related code in compact form (a reference line and the
/// first <see cref="ContextPackerOptions.RelatedMaxLines"/> lines) while the budget allows. A hit that does not
/// fit is cut after the last whole line that fits (at least <see cref="ContextPackerOptions.MinTruncatedLines"/>
/// lines) or left out, and later, smaller hits may still fit; blocks stay in rank order.
/// </para>
/// <para>
/// Lines already shown by a better hit of the same file are not repeated: a hit whose text is a contiguous
/// copy of its span shows only its uncovered lines (possibly as several blocks), or is left out as a
/// duplicate. A chunk whose text is not a contiguous copy (a type header without member bodies) is only
/// de-duplicated against the identical span. Related code that a shown block already covers is skipped.
/// </para>
/// <para>
/// Tokens are counted per block with the caller's counter and the whole text is counted again at the end;
/// should a tokenizer count the joined text higher than the parts, trailing blocks are dropped until it
/// fits, so the result never exceeds the budget. Thread-safe if the counter is.
/// </para>
/// </remarks>
public static class ContextPacker
{
    /// <summary>Packs <paramref name="hits"/> into at most <paramref name="budget"/> tokens.</summary>
    /// <param name="hits">Hits, best first.</param>
    /// <param name="budget">Token budget (0 gives an empty context).</param>
    /// <param name="countTokens">Counts the tokens of a text for the target model.</param>
    /// <param name="options">Layout options (null: defaults).</param>
    /// <returns>The text and what was included and left out.</returns>
    public static PackedContext Pack(
        IReadOnlyList<ContextItem> hits,
        int budget,
        Func<string, int> countTokens,
        ContextPackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(countTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        options ??= new ContextPackerOptions();

        var state = new PackState(budget, countTokens);
        for (var i = 0; i < hits.Count; i++)
        {
            PackHit(state, hits[i], i, options);
        }

        return state.Finish();
    }

    private static void PackHit(PackState state, ContextItem hit, int index, ContextPackerOptions options)
    {
        var lines = SplitLines(hit.Text);
        var span = hit.EndLine - hit.StartLine + 1;
        var contiguous = span == lines.Length && hit.Text.Length > 0;
        var file = (hit.Repository, hit.Path);
        List<(int From, int To)> ranges;
        if (contiguous)
        {
            ranges = state.Uncovered(file, hit.StartLine, hit.EndLine);
        }
        else
        {
            ranges = state.ShownExact.Contains((hit.Repository, hit.Path, hit.StartLine, hit.EndLine)) ? [] : [(0, lines.Length - 1)];
        }

        if (ranges.Count == 0)
        {
            state.Omitted.Add(new OmittedHit(index, hit.Path, hit.StartLine, hit.EndLine, ContextOmission.Duplicate));
            return;
        }

        Piece? last = null;
        foreach (var (from, to) in ranges)
        {
            var piece = FitHit(state, hit, index, lines, from, to, contiguous, options);
            if (piece is null)
            {
                continue;
            }

            state.Add(piece);
            last = piece;
            if (contiguous)
            {
                state.Cover(file, piece.Block!.StartLine, piece.Block.EndLine);
            }
            else
            {
                state.ShownExact.Add((hit.Repository, hit.Path, hit.StartLine, hit.EndLine));
            }
        }

        if (last is null)
        {
            state.Omitted.Add(new OmittedHit(index, hit.Path, hit.StartLine, hit.EndLine, ContextOmission.Budget));
            return;
        }

        for (var r = 0; r < hit.Related.Count; r++)
        {
            var related = hit.Related[r];
            if (r >= options.MaxRelatedPerHit || state.IsCovered((related.Repository, related.Path), related.StartLine, related.EndLine))
            {
                state.RelatedOmitted++;
                continue;
            }

            var text = state.Separator + RenderRelated(related, options);
            var tokens = state.Count(text);
            if (tokens <= state.Remaining)
            {
                state.Add(new Piece(text, tokens, index, null, last));
                last.RelatedCount++;
            }
            else
            {
                state.RelatedOmitted++;
            }
        }
    }

    private static Piece? FitHit(PackState state, ContextItem hit, int index, string[] lines, int from, int to, bool contiguous, ContextPackerOptions options)
    {
        var text = state.Separator + RenderHit(hit, lines, from, to, contiguous, truncated: false, options);
        var tokens = state.Count(text);
        if (tokens <= state.Remaining)
        {
            return new Piece(text, tokens, index, MakeBlock(hit, index, from, to, contiguous, truncated: false), null);
        }

        // CGR: binary search for the most whole lines that fit; token counts grow with the line count.
        int lo = Math.Max(1, options.MinTruncatedLines), hi = to - from;
        Piece? best = null;
        while (lo <= hi)
        {
            var n = lo + ((hi - lo) / 2);
            var candidate = state.Separator + RenderHit(hit, lines, from, from + n - 1, contiguous, truncated: true, options);
            var t = state.Count(candidate);
            if (t <= state.Remaining)
            {
                best = new Piece(candidate, t, index, MakeBlock(hit, index, from, from + n - 1, contiguous, truncated: true), null);
                lo = n + 1;
            }
            else
            {
                hi = n - 1;
            }
        }

        return best;
    }

    private static PackedBlock MakeBlock(ContextItem hit, int index, int from, int to, bool contiguous, bool truncated) =>
        contiguous
            ? new PackedBlock(index, hit.Path, hit.StartLine + from, hit.StartLine + to, truncated, 0)
            : new PackedBlock(index, hit.Path, hit.StartLine, hit.EndLine, truncated, 0);

    private static string RenderHit(ContextItem hit, string[] lines, int from, int to, bool contiguous, bool truncated, ContextPackerOptions options)
    {
        var sb = new StringBuilder();
        if (options.IncludeRepository)
        {
            sb.Append('[').Append(hit.Repository).Append("] ");
        }

        var start = contiguous ? hit.StartLine + from : hit.StartLine;
        var end = contiguous ? hit.StartLine + to : hit.EndLine;
        sb.Append(hit.Path).Append(':').Append(start).Append('-').Append(end);
        if (hit.Symbol.Length > 0)
        {
            sb.Append(" (").Append(hit.Symbol).Append(')');
        }

        if (truncated && !contiguous)
        {
            sb.Append(" [first ").Append(to - from + 1).Append(" lines]");
        }

        sb.Append('\n');
        AppendFenced(sb, hit.Language, lines.AsSpan(from, to - from + 1));
        return sb.ToString();
    }

    private static string RenderRelated(ContextRelatedItem related, ContextPackerOptions options)
    {
        var sb = new StringBuilder();
        sb.Append("related ").Append(RelationName(related.Relation)).Append(": ");
        if (options.IncludeRepository)
        {
            sb.Append('[').Append(related.Repository).Append("] ");
        }

        sb.Append(related.Path).Append(':').Append(related.StartLine).Append('-').Append(related.EndLine);
        if (related.Symbol.Length > 0)
        {
            sb.Append(" (").Append(related.Symbol).Append(')');
        }

        sb.Append('\n');
        if (options.RelatedMaxLines > 0 && related.Text.Length > 0)
        {
            var lines = SplitLines(related.Text);
            var first = 0;
            while (first < lines.Length && string.IsNullOrWhiteSpace(lines[first]))
            {
                first++;
            }

            var count = Math.Min(options.RelatedMaxLines, lines.Length - first);
            if (count > 0)
            {
                AppendFenced(sb, related.Language, lines.AsSpan(first, count));
            }
        }

        return sb.ToString();
    }

    private static void AppendFenced(StringBuilder sb, string language, ReadOnlySpan<string> lines)
    {
        // CGR: a fence longer than any backtick run in the code, so code containing ``` cannot close it.
        var longest = 0;
        foreach (var line in lines)
        {
            var run = 0;
            foreach (var ch in line)
            {
                run = ch == '`' ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        sb.Append(fence).Append(language).Append('\n');
        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
        }

        sb.Append(fence).Append('\n');
    }

    private static string RelationName(GraphRelation relation) => relation switch
    {
        GraphRelation.Caller => "caller",
        GraphRelation.Callee => "callee",
        GraphRelation.Parent => "parent",
        GraphRelation.Imports => "import",
        GraphRelation.BaseType => "base type",
        GraphRelation.DerivedType => "derived type",
        _ => relation.ToString().ToLowerInvariant(),
    };

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0)
        {
            return [string.Empty];
        }

        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = lines[i].TrimEnd('\r');
        }

        return result;
    }
}
