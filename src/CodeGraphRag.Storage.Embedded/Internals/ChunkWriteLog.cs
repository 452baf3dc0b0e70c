namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// The commits this store made, by commit sequence, with the repository whose chunks each changed (none for a vector or
/// catalog write), so a reader can tell that a repository's chunks did not change between two commits.
/// </summary>
/// <remarks>
/// CGR: a commit this store did not make (another process, or one not noted yet) leaves a gap, and a gap answers "may
/// have changed": the log can only make a cached list live longer when it knows, never serve a stale one.
/// </remarks>
internal sealed class ChunkWriteLog
{
    /// <summary>Commits remembered; a range longer than this is answered "may have changed".</summary>
    public const int Capacity = 8192;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, string?> _commits = [];
    private readonly Queue<long> _order = new();

    /// <summary>Notes a committed sequence and the repository whose chunks it changed (null: none).</summary>
    public void Note(long sequence, string? repository)
    {
        lock (_gate)
        {
            if (_commits.TryAdd(sequence, repository))
            {
                _order.Enqueue(sequence);
                if (_order.Count > Capacity)
                {
                    _commits.Remove(_order.Dequeue());
                }
            }
            else
            {
                _commits[sequence] = repository;
            }
        }
    }

    /// <summary>Whether every commit after <paramref name="from"/> up to <paramref name="to"/> is known and left <paramref name="repository"/>'s chunks alone.</summary>
    public bool Untouched(string repository, long from, long to)
    {
        if (from > to)
        {
            (from, to) = (to, from);
        }

        if (to - from > Capacity)
        {
            return false;
        }

        lock (_gate)
        {
            for (var sequence = from + 1; sequence <= to; sequence++)
            {
                if (!_commits.TryGetValue(sequence, out var changed) || string.Equals(changed, repository, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
