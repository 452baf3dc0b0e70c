namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// What graph queries share across calls for one commit sequence: the <see cref="FileIndex"/>, the candidate
/// definitions of call and base-type names (per readable-repository list) and the imports of files. Everything is dropped when a query sees
/// another commit sequence; every write bumps the sequence in its own transaction, so a query never mixes states.
/// </summary>
/// <remarks>
/// CGR: the candidates of a common name (<c>__init__</c>: 2.6k definitions at 100k chunks) cost 10–30 ms to load and
/// index, and the same few names come back in most queries. Entries are immutable once published except for the
/// lazily built indexes inside <see cref="CandidateSet"/>, which are idempotent. Bounded by the rows held.
/// </remarks>
internal sealed class GraphCache
{
    /// <summary>Candidate and import rows held before the cache starts over.</summary>
    public const int MaxCachedRows = 400_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Readable, bool Types, string Name), CandidateSet> _candidates = [];
    private readonly Dictionary<(string Repository, string Path), List<ImportRow>> _imports = [];
    private long _sequence = -1;
    private FileIndex? _files;
    private int _rows;

    /// <summary>The file index for <paramref name="sequence"/>, loaded by <paramref name="load"/> when missing.</summary>
    public FileIndex Files(long sequence, Func<FileIndex> load)
    {
        lock (_gate)
        {
            Reset(sequence);
            if (_sequence == sequence && _files is { } cached)
            {
                return cached;
            }
        }

        var loaded = load();
        lock (_gate)
        {
            Reset(sequence);
            if (_sequence == sequence)
            {
                _files ??= loaded;
            }
        }

        return loaded;
    }

    /// <summary>The candidates of (<paramref name="readable"/>, <paramref name="types"/>, <paramref name="name"/>) at <paramref name="sequence"/>.</summary>
    public CandidateSet Candidates(long sequence, string readable, bool types, string name, Func<CandidateSet> build)
    {
        var key = (readable, types, name);
        lock (_gate)
        {
            Reset(sequence);
            if (_sequence == sequence && _candidates.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        var built = build();
        lock (_gate)
        {
            Reset(sequence);
            if (_sequence == sequence && !_candidates.ContainsKey(key))
            {
                if (_rows + built.Rows.Count > MaxCachedRows)
                {
                    Clear();
                }

                _candidates[key] = built;
                _rows += built.Rows.Count;
            }
        }

        return built;
    }

    /// <summary>Whether the candidates of (<paramref name="readable"/>, <paramref name="types"/>, <paramref name="name"/>) are cached for <paramref name="sequence"/>.</summary>
    public bool HasCandidates(long sequence, string readable, bool types, string name)
    {
        lock (_gate)
        {
            return _sequence == sequence && _candidates.ContainsKey((readable, types, name));
        }
    }

    /// <summary>The imports of a file at <paramref name="sequence"/>, when cached.</summary>
    public List<ImportRow>? Imports(long sequence, (string Repository, string Path) file)
    {
        lock (_gate)
        {
            Reset(sequence);
            return _sequence == sequence ? _imports.GetValueOrDefault(file) : null;
        }
    }

    /// <summary>Caches the imports of files read at <paramref name="sequence"/> (the lists are never changed afterwards).</summary>
    public void AddImports(long sequence, IEnumerable<KeyValuePair<(string Repository, string Path), List<ImportRow>>> files)
    {
        lock (_gate)
        {
            Reset(sequence);
            if (_sequence != sequence)
            {
                return;
            }

            foreach (var (file, imports) in files)
            {
                if (_rows + imports.Count + 1 > MaxCachedRows)
                {
                    Clear();
                }

                if (_imports.TryAdd(file, imports))
                {
                    _rows += imports.Count + 1;
                }
            }
        }
    }

    /// <summary>Starts over when a newer sequence is seen (an older one, from a query that began earlier, is not cached).</summary>
    private void Reset(long sequence)
    {
        if (sequence > _sequence)
        {
            _sequence = sequence;
            _files = null;
            Clear();
        }
    }

    private void Clear()
    {
        _candidates.Clear();
        _imports.Clear();
        _rows = 0;
    }
}
