using System.Text;

namespace CodeGraphRag.Retrieval.Context;

/// <summary>Mutable bookkeeping of one <see cref="ContextPacker.Pack"/> call.</summary>
internal sealed class PackState(int budget, Func<string, int> countTokens)
{
    private readonly List<Piece> _pieces = [];
    private readonly Dictionary<(string Repository, string Path), List<(int Start, int End)>> _covered = [];
    private int _used;

    public HashSet<(string Repository, string Path, int Start, int End)> ShownExact { get; } = [];

    public List<OmittedHit> Omitted { get; } = [];

    public int RelatedOmitted { get; set; }

    public int Remaining => budget - _used;

    /// <summary>Blocks after the first are preceded by a blank line.</summary>
    public string Separator => _pieces.Count == 0 ? string.Empty : "\n";

    public int Count(string text) => countTokens(text);

    public void Add(Piece piece)
    {
        _pieces.Add(piece);
        _used += piece.Tokens;
    }

    public void Cover((string, string) file, int start, int end)
    {
        if (!_covered.TryGetValue(file, out var list))
        {
            list = [];
            _covered.Add(file, list);
        }

        list.Add((start, end));
    }

    public bool IsCovered((string, string) file, int start, int end) =>
        end >= start && Uncovered(file, start, end).Count == 0;

    /// <summary>Uncovered line ranges of [start, end], as 0-based offsets from <paramref name="start"/>.</summary>
    public List<(int From, int To)> Uncovered((string, string) file, int start, int end)
    {
        var result = new List<(int, int)>();
        if (end < start)
        {
            return result;
        }

        var covered = new bool[end - start + 1];
        if (_covered.TryGetValue(file, out var list))
        {
            foreach (var (s, e) in list)
            {
                for (var line = Math.Max(s, start); line <= Math.Min(e, end); line++)
                {
                    covered[line - start] = true;
                }
            }
        }

        var i = 0;
        while (i < covered.Length)
        {
            if (covered[i])
            {
                i++;
                continue;
            }

            var from = i;
            while (i < covered.Length && !covered[i])
            {
                i++;
            }

            result.Add((from, i - 1));
        }

        return result;
    }

    public PackedContext Finish()
    {
        var text = Join();
        var tokens = _pieces.Count == 0 ? 0 : countTokens(text);
        while (tokens > budget && _pieces.Count > 0)
        {
            var removed = _pieces[^1];
            _pieces.RemoveAt(_pieces.Count - 1);
            if (removed.Block is null)
            {
                removed.Owner!.RelatedCount--;
                RelatedOmitted++;
            }
            else if (!_pieces.Exists(p => p.Block is not null && p.HitIndex == removed.HitIndex))
            {
                Omitted.Add(new OmittedHit(removed.HitIndex, removed.Block.Path, removed.Block.StartLine, removed.Block.EndLine, ContextOmission.Budget));
            }

            text = Join();
            tokens = _pieces.Count == 0 ? 0 : countTokens(text);
        }

        var blocks = _pieces.Where(p => p.Block is not null).Select(p => p.Block! with { RelatedIncluded = p.RelatedCount }).ToList();
        var relatedIncluded = _pieces.Count(p => p.Block is null);
        Omitted.Sort((a, b) => a.HitIndex.CompareTo(b.HitIndex));
        return new PackedContext(text, tokens, blocks, Omitted, relatedIncluded, RelatedOmitted);
    }

    private string Join()
    {
        var sb = new StringBuilder();
        foreach (var p in _pieces)
        {
            sb.Append(p.Text);
        }

        return sb.ToString();
    }
}

/// <summary>One block of output: a hit block (with <see cref="Block"/>) or a related item (with <see cref="Owner"/>).</summary>
internal sealed record Piece(string Text, int Tokens, int HitIndex, PackedBlock? Block, Piece? Owner)
{
    public int RelatedCount { get; set; }
}
