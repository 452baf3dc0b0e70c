using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Cuts a run of lines into parts that respect the token budget and a line cap.</summary>
/// <remarks>
/// A part is cut before a line marked <see cref="ChunkLine.BreakBefore"/> when one lies in its back three quarters; otherwise it is
/// cut at the last line that fits and the next part repeats up to <c>overlap</c> lines. A single line over the budget is cut by characters.
/// </remarks>
internal static class BudgetSplitter
{
    public static void Split(
        IReadOnlyList<ChunkLine> lines, TokenBudget budget, int overlap, int maxLines,
        string symbolPath, ChunkKind kind, string? signature, List<ChunkDraft> output)
    {
        var start = 0;
        var count = lines.Count;
        while (start < count)
        {
            while (start < count && lines[start].IsBlank)
            {
                start++;
            }

            if (start == count)
            {
                break;
            }

            if (lines[start].Tokens > budget.MaxTokens)
            {
                SplitLongLine(lines[start], budget, symbolPath, kind, signature, output);
                start++;
                continue;
            }

            var tokens = 0;
            var end = start;
            while (end < count && end - start < maxLines && tokens + lines[end].Tokens <= budget.MaxTokens)
            {
                tokens += lines[end].Tokens;
                end++;
            }

            if (end == count)
            {
                Emit(lines, start, end, symbolPath, kind, signature, output);
                break;
            }

            var minimum = start + Math.Max(1, (end - start) / 4);
            var cut = -1;
            for (var k = end; k >= minimum; k--)
            {
                if (lines[k].BreakBefore)
                {
                    cut = k;
                    break;
                }
            }

            if (cut > start)
            {
                Emit(lines, start, cut, symbolPath, kind, signature, output);
                start = cut;
                continue;
            }

            Emit(lines, start, end, symbolPath, kind, signature, output);
            start = NextStart(lines, start, end, overlap, budget.MaxTokens);
        }
    }

    /// <summary>Where the part after [start, end) begins: a few lines back for context, but never so far that no progress is made.</summary>
    private static int NextStart(IReadOnlyList<ChunkLine> lines, int start, int end, int overlap, int maxTokens)
    {
        var back = Math.Min(overlap, end - start - 1);
        while (back > 0)
        {
            var tokens = 0;
            for (var i = end - back; i < end; i++)
            {
                tokens += lines[i].Tokens;
            }

            if (tokens <= maxTokens / 4)
            {
                break;
            }

            back--;
        }

        return end - Math.Max(0, back);
    }

    private static void Emit(IReadOnlyList<ChunkLine> lines, int start, int end, string symbolPath, ChunkKind kind, string? signature, List<ChunkDraft> output)
    {
        while (end > start && lines[end - 1].IsBlank)
        {
            end--;
        }

        while (start < end && lines[start].IsBlank)
        {
            start++;
        }

        if (start == end)
        {
            return;
        }

        var text = end - start == 1 ? lines[start].Text : string.Join('\n', Enumerable.Range(start, end - start).Select(i => lines[i].Text));
        output.Add(new ChunkDraft(symbolPath, kind, lines[start].FirstLine, lines[end - 1].LastLine, text, signature));
    }

    /// <summary>Cuts one over-long line (minified code, embedded data) into pieces of characters that each fit the budget.</summary>
    /// <remarks>
    /// The counter stops counting at the budget, so the density of the whole line is unknown; each piece starts from the size of
    /// the previous one, grows while clearly under the budget and shrinks while over it.
    /// </remarks>
    private static void SplitLongLine(ChunkLine line, TokenBudget budget, string symbolPath, ChunkKind kind, string? signature, List<ChunkDraft> output)
    {
        var text = line.Text;
        var max = budget.MaxTokens;
        var guess = Math.Max(16, max * 3);
        var offset = 0;
        while (offset < text.Length)
        {
            var remaining = text.Length - offset;
            var length = PieceLength(text, offset, Math.Min(guess, remaining));
            var tokens = budget.Count(text.Substring(offset, length));
            while (tokens <= max * 3 / 4 && length < remaining)
            {
                var longer = PieceLength(text, offset, Math.Min(remaining, (length * 5 / 4) + 1));
                var longerTokens = budget.Count(text.Substring(offset, longer));
                if (longerTokens > max)
                {
                    break;
                }

                (length, tokens) = (longer, longerTokens);
            }

            while (tokens > max && length > 1)
            {
                length = PieceLength(text, offset, Math.Max(1, length * 4 / 5));
                tokens = budget.Count(text.Substring(offset, length));
            }

            var piece = text.Substring(offset, length);
            if (!string.IsNullOrWhiteSpace(piece))
            {
                output.Add(new ChunkDraft(symbolPath, kind, line.FirstLine, line.LastLine, piece, signature));
            }

            offset += length;
            guess = length;
        }
    }

    /// <summary>Keeps a surrogate pair together at the end of a piece.</summary>
    private static int PieceLength(string text, int offset, int length) =>
        length > 1 && offset + length < text.Length && char.IsHighSurrogate(text[offset + length - 1]) ? length - 1 : length;
}
