using System.Text.Json;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Storage.Embedded;

/// <content>IChunkStore: dense (exact or ANN) and lexical (FTS5 BM25) search, chunk lookup.</content>
public sealed partial class EmbeddedStore
{
    private CountAtSequence? _chunkCount;

    private const string ChunkColumns =
        "c.chunk_id, c.repository, c.path, c.language, c.symbol_path, c.kind, c.start_line, c.end_line, c.text, c.content_hash, c.embedding_key, c.lexical_text, c.signature, c.class";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The query's length differs from the configured dimensions.</exception>
    public Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        RunAsync("SearchDense", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(query);
            if (query.Length != _options.Dimensions)
            {
                throw new ArgumentException($"The query vector has {query.Length} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(query));
            }

            if (k <= 0)
            {
                return (IReadOnlyList<ScoredChunk>)[];
            }

            var hits = _dense.Search(query, k, FilterSql.From(filter));
            if (hits.Count == 0)
            {
                if (_dense.Count == 0)
                {
                    WarnOnceOfOtherModelsVectors();
                }

                return [];
            }

            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                "SELECT key, chunk_id FROM chunks WHERE key IN (SELECT value FROM json_each($keys))",
                ("$keys", JsonSerializer.Serialize(hits.Select(h => (long)h.Key))));
            var ids = new Dictionary<long, string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids[reader.GetInt64(0)] = reader.GetString(1);
                }
            }

            var result = new List<ScoredChunk>(hits.Count);
            foreach (var (key, score) in hits)
            {
                if (ids.TryGetValue((long)key, out var id))
                {
                    result.Add(new ScoredChunk(id, score));
                }
            }

            return result;
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        RunAsync("SearchLexical", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(terms);
            var match = BuildMatchExpression(terms);
            if (match is null || k <= 0)
            {
                return (IReadOnlyList<ScoredChunk>)[];
            }

            var sqlFilter = FilterSql.From(filter);
            using var connection = OpenConnection();
            var searched = terms;
            var pruned = WithoutCommonTerms(connection, terms);
            if (!ReferenceEquals(pruned, terms) && BuildMatchExpression(pruned) is { } prunedMatch)
            {
                (match, searched) = (prunedMatch, pruned);
            }

            if (_options.LexicalPostings && LexicalFromPostings(connection, searched, k, filter) is { } fromPostings)
            {
                return fromPostings;
            }

            // A repository list (an ACL, one repository) holding a small share of the chunks rarely owns enough of the
            // global top-k for top-first to prove its answer: its matches are picked by key instead. Up to a larger share
            // the key list still beats the plain full query when top-first cannot answer.
            var share = filter?.Repositories is { } listed ? ChunkShare(connection, listed) : 1.0;
            if (share <= Constants.LexicalKeySetDirectShare)
            {
                return LexicalFullQuery(connection, match, k, sqlFilter, filter!.Repositories);
            }

            // Language and path filters are usually selective: they go straight to the full query.
            if ((filter is null || (filter.Languages is null && string.IsNullOrEmpty(filter.PathGlob)))
                && TryLexicalTopFirst(connection, match, k, sqlFilter) is { } top)
            {
                return top;
            }

            return share <= Constants.LexicalKeySetMaxShare
                ? LexicalFullQuery(connection, match, k, sqlFilter, filter!.Repositories)
                : LexicalFullQuery(connection, match, k, sqlFilter);
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScoredFile>> SearchFilesLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default) =>
        RunAsync("SearchFilesLexical", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(terms);
            var match = BuildMatchExpression(terms);
            if (match is null || k <= 0)
            {
                return (IReadOnlyList<ScoredFile>)[];
            }

            var sqlFilter = FilterSql.From(filter);
            using var connection = OpenConnection();
            var pruned = WithoutCommonTerms(connection, terms);
            if (!ReferenceEquals(pruned, terms))
            {
                match = BuildMatchExpression(pruned) ?? match;
            }

            // The files table is aliased c: its repository, path, language and class columns are the ones the chunk filter names.
            using var command = Command(
                connection,
                null,
                $"""
                SELECT d.repository, d.path, bm25(files_fts) AS rank, coalesce(c.language, 'text'), c.class FROM files_fts
                JOIN file_docs d ON d.doc = files_fts.rowid
                JOIN files c ON c.repository = d.repository AND c.path = d.path
                WHERE files_fts MATCH $q {(sqlFilter is null ? string.Empty : "AND " + sqlFilter.WhereClause)}
                ORDER BY rank, d.repository, d.path LIMIT $k
                """,
                ("$q", match),
                ("$k", k));
            sqlFilter?.Bind(command);
            using var reader = command.ExecuteReader();
            var result = new List<ScoredFile>();
            while (reader.Read())
            {
                result.Add(new ScoredFile(reader.GetString(0), reader.GetString(1), -reader.GetDouble(2), reader.GetString(3), FileClasses.ParseStored(reader.GetString(4))));
            }

            return (IReadOnlyList<ScoredFile>)result;
        });

    /// <summary>
    /// The terms of a long query (<see cref="EmbeddedStorageOptions.LexicalPruneMinTerms"/> or more) without those that
    /// match more than <see cref="EmbeddedStorageOptions.LexicalCommonTermShare"/> of all chunks; when too few would be
    /// left, the rarest terms are kept instead. Short queries are returned as they are.
    /// </summary>
    /// <remarks>
    /// CGR: FTS5 reads every posting of every OR-ed term, so a long query's common terms (file, get, self, return) cost
    /// most of its time while their BM25 weight (IDF) is the smallest. Document frequencies come from a per-connection
    /// temp <c>fts5vocab</c> 'row' table (no migration; it reads the index the query reads).
    /// </remarks>
    internal IReadOnlyList<string> WithoutCommonTerms(SqliteConnection connection, IReadOnlyList<string> terms)
    {
        // Only terms that reach the MATCH expression count (BuildMatchExpression drops those without a letter or digit).
        var distinct = terms.Where(t => t.Any(char.IsLetterOrDigit)).Distinct(StringComparer.Ordinal).ToList();
        if (_options.LexicalPruneMinTerms == 0 || distinct.Count < _options.LexicalPruneMinTerms)
        {
            return terms;
        }

        var limit = ChunkCount(connection) * _options.LexicalCommonTermShare;
        Execute(connection, null, $"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{Constants.TermRowsTable} USING fts5vocab(main, chunks_fts, 'row')");
        using var command = Command(connection, null, $"SELECT doc FROM temp.{Constants.TermRowsTable} WHERE term = $t", ("$t", string.Empty));
        var frequencies = new List<(string Term, long Documents)>(distinct.Count);
        foreach (var term in distinct)
        {
            command.Parameters["$t"].Value = term.ToLowerInvariant();
            frequencies.Add((term, command.ExecuteScalar() is long documents ? documents : 0));
        }

        var kept = frequencies.Where(f => f.Documents <= limit).Select(f => f.Term).ToList();
        var least = Math.Min(Constants.LexicalMinKeptTerms, distinct.Count);
        return kept.Count >= least
            ? kept
            : [.. frequencies.OrderBy(f => f.Documents).Take(least).Select(f => f.Term)];
    }

    /// <summary>
    /// The lexical top <paramref name="k"/> from the store's own postings (<see cref="LexicalTopK"/>): the same chunks in
    /// the same order with the same scores as <see cref="LexicalFullQuery"/>; null when they cannot answer (a language,
    /// path or class filter, a term FTS5 would read as a phrase of several tokens, postings not built or behind).
    /// </summary>
    internal IReadOnlyList<ScoredChunk>? LexicalFromPostings(SqliteConnection connection, IReadOnlyList<string> terms, int k, ChunkFilter? filter)
    {
        if (filter is not null && (filter.Languages is not null || !string.IsNullOrEmpty(filter.PathGlob) || filter.AdmittedClasses() is not null))
        {
            return null;
        }

        if (PhraseTokens(terms) is not { Count: > 0 } tokens)
        {
            return null;
        }

        using var transaction = connection.BeginTransaction(deferred: true);
        if (!LexicalPostings.Ready(connection, transaction))
        {
            return null;
        }

        long[]? admitted = null;
        if (filter?.Repositories is { } repositories)
        {
            admitted = AdmittedKeys(connection, transaction, repositories);
            if (admitted.Length == 0)
            {
                return [];
            }
        }

        var hits = LexicalTopK.Search(connection, transaction, tokens, k, admitted, segments: _lexicalSegments);
        if (hits.Count == 0)
        {
            return [];
        }

        using var command = Command(
            connection,
            transaction,
            "SELECT key, chunk_id FROM chunks WHERE key IN (SELECT value FROM json_each($keys))",
            ("$keys", JsonSerializer.Serialize(hits.Select(h => h.Key))));
        var ids = new Dictionary<long, string>(hits.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        transaction.Commit();
        return hits
            .Where(h => ids.ContainsKey(h.Key))
            .Select(h => new ScoredChunk(ids[h.Key], h.Score))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.ChunkId, StringComparer.Ordinal)
            .Take(k)
            .ToList();
    }

    /// <summary>
    /// The tokens of the phrases <see cref="BuildMatchExpression"/> makes of <paramref name="terms"/>, in its order, or
    /// null when a phrase is not a single token (FTS5 would match it as a sequence).
    /// </summary>
    internal static List<string>? PhraseTokens(IReadOnlyList<string> terms)
    {
        var phrases = Phrases(terms);
        return phrases.All(LexicalPostings.IsSingleToken) ? phrases.ConvertAll(LexicalPostings.Normalize) : null;
    }

    /// <summary>
    /// The keys of the chunks of <paramref name="repositories"/>, sorted; kept for the commit they were read at, and each
    /// repository's own keys for as long as this store's commits leave that repository alone.
    /// </summary>
    /// <remarks>
    /// CGR: under constant writes every commit used to drop every list, so each ACL search read its repositories' keys
    /// again (63k keys for 5 % of a 1.26M-chunk fleet) though nearly every commit changes one other repository.
    /// </remarks>
    private long[] AdmittedKeys(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> repositories)
    {
        var json = JsonSerializer.Serialize(repositories);
        var sequence = DenseVectorIndex.ReadCommitSequence(connection, transaction);
        var cache = _admittedKeys;
        if (cache is not null && cache.Sequence == sequence && cache.Keys.TryGetValue(json, out var cached))
        {
            return cached;
        }

        var lists = new List<long[]>(repositories.Count);
        foreach (var repository in repositories.Distinct(StringComparer.Ordinal))
        {
            if (_repositoryKeys.TryGetValue(repository, out var known)
                && (known.Sequence == sequence || _chunkWrites.Untouched(repository, known.Sequence, sequence)))
            {
                if (known.Sequence < sequence)
                {
                    // CGR: moved up, so the next check spans only the commits after this one.
                    _repositoryKeys.TryUpdate(repository, known with { Sequence = sequence }, known);
                }

                lists.Add(known.Keys);
                continue;
            }

            using var command = Command(connection, transaction, "SELECT key FROM chunks WHERE repository = $r ORDER BY key", ("$r", repository));
            var keys = new List<long>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(reader.GetInt64(0));
                }
            }

            Interlocked.Increment(ref _admittedKeyReads);
            var read = keys.ToArray();
            lists.Add(read);
            if (_repositoryKeys.Count >= MaxRepositoryKeyLists)
            {
                _repositoryKeys.Clear();
            }

            _repositoryKeys[repository] = new KeysAtSequence(sequence, read);
        }

        var result = MergeSorted(lists);
        if (cache is null || cache.Sequence != sequence || cache.Keys.Count >= MaxAdmittedKeyLists)
        {
            cache = new AdmittedKeyLists(sequence, new System.Collections.Concurrent.ConcurrentDictionary<string, long[]>(StringComparer.Ordinal));
            _admittedKeys = cache;
        }

        cache.Keys[json] = result;
        return result;
    }

    /// <summary>The union of sorted key lists of distinct repositories (no key is in two), sorted.</summary>
    private static long[] MergeSorted(List<long[]> lists)
    {
        if (lists.Count == 1)
        {
            return lists[0];
        }

        var result = new long[lists.Sum(l => l.Length)];
        var at = 0;
        foreach (var list in lists)
        {
            list.CopyTo(result, at);
            at += list.Length;
        }

        Array.Sort(result);
        return result;
    }

    /// <summary>How many times a repository's chunk keys were read from the database for an ACL search (for tests).</summary>
    internal long AdmittedKeyReads => Interlocked.Read(ref _admittedKeyReads);

    private long _admittedKeyReads;

    /// <summary>Repositories whose chunk keys are kept (emptied when full: the readable lists of the callers searching now).</summary>
    private const int MaxRepositoryKeyLists = 4096;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, KeysAtSequence> _repositoryKeys = new(StringComparer.Ordinal);

    /// <summary>This store's commits and the repositories whose chunks they changed.</summary>
    private readonly ChunkWriteLog _chunkWrites = new();

    private sealed record KeysAtSequence(long Sequence, long[] Keys);

    /// <summary>The repository lists whose chunk keys are kept per commit (the callers searching now).</summary>
    private const int MaxAdmittedKeyLists = 16;

    private AdmittedKeyLists? _admittedKeys;

    /// <summary>The lexical postings' segments parsed by earlier searches (<see cref="LexicalPostings.ReadSegments"/>).</summary>
    private readonly SegmentCache _lexicalSegments = new();

    private sealed record AdmittedKeyLists(long Sequence, System.Collections.Concurrent.ConcurrentDictionary<string, long[]> Keys);

    /// <summary>The number of chunks, counted once per commit.</summary>
    private long ChunkCount(SqliteConnection connection)
    {
        var sequence = DenseVectorIndex.ReadCommitSequence(connection, null);
        var cached = _chunkCount;
        if (cached is not null && cached.Sequence == sequence)
        {
            return cached.Count;
        }

        using var command = Command(connection, null, "SELECT count(*) FROM chunks");
        var count = (long)command.ExecuteScalar()!;
        _chunkCount = new CountAtSequence(sequence, count);
        return count;
    }

    /// <summary>
    /// The share of all chunks that <paramref name="repositories"/> hold, from the files' chunk counts (a strategy choice,
    /// not a result).
    /// </summary>
    private double ChunkShare(SqliteConnection connection, IReadOnlyList<string> repositories)
    {
        if (repositories.Count == 0)
        {
            return 0;
        }

        using var command = Command(
            connection,
            null,
            "SELECT coalesce(sum(chunk_count), 0) FROM files WHERE repository IN (SELECT value FROM json_each($r))",
            ("$r", JsonSerializer.Serialize(repositories)));
        var admitted = (long)command.ExecuteScalar()!;
        return admitted / (double)Math.Max(1, ChunkCount(connection));
    }

    /// <summary>
    /// The reference lexical query: every match joined and filtered, ordered by BM25 then chunk id. With
    /// <paramref name="repositories"/> (the filter's own list), matches outside them are dropped before BM25 and the join.
    /// </summary>
    /// <remarks>
    /// CGR: a repository list (an ACL, one repository) makes top-first rarely exact, and the plain full query looked every
    /// match up in <c>chunks</c> (large rows: one page read per match) before the filter dropped most of them: 14–17 ms
    /// against 5.5 ms unfiltered at 73k chunks. The keys of the listed repositories come from the covering
    /// <c>ix_chunks_file</c> index into one in-memory list (SQLite's LIST SUBQUERY), each match is checked against it
    /// (<c>+rowid</c>: not a constraint FTS5 would answer one xFilter, and one BM25 statistics pass, per key), and only
    /// admitted matches are ranked and joined. The full filter still applies after the join, so results are the same rows
    /// in the same order as without the key list. FTS5 itself walks only the listed repositories' key span (lowest to
    /// highest key; <c>rowid BETWEEN</c> is a range it seeks to in every posting list): one repository of a
    /// 1,000-repository store is a thin slice, where checking every match of a common term against the list cost more
    /// than ranking the admitted ones (NuGet.Client part, 7 terms: 68 ms of 96 walking 400k matches, against 2 ms).
    /// </remarks>
    internal static IReadOnlyList<ScoredChunk> LexicalFullQuery(
        SqliteConnection connection, string match, int k, FilterSql? filter, IReadOnlyList<string>? repositories = null)
    {
        var repositoriesJson = repositories is null ? null : JsonSerializer.Serialize(repositories);
        (long Low, long High) span = (long.MinValue, long.MaxValue);
        if (repositoriesJson is not null)
        {
            if (KeySpan(connection, repositoriesJson) is not { } keys)
            {
                return [];
            }

            span = keys;
        }

        using var command = repositories is null
            ? Command(
                connection,
                null,
                $"""
                SELECT c.chunk_id, bm25(chunks_fts) AS rank FROM chunks_fts JOIN chunks c ON c.key = chunks_fts.rowid
                WHERE chunks_fts MATCH $q {(filter is null ? string.Empty : "AND " + filter.WhereClause)}
                ORDER BY rank, c.chunk_id LIMIT $k
                """,
                ("$q", match),
                ("$k", k))
            : Command(
                connection,
                null,
                $"""
                WITH s AS MATERIALIZED (
                    SELECT rowid AS key, bm25(chunks_fts) AS rank FROM chunks_fts
                    WHERE chunks_fts MATCH $q AND rowid BETWEEN $keyset_low AND $keyset_high
                    AND +rowid IN (SELECT key FROM chunks WHERE repository IN (SELECT value FROM json_each($keyset_repos))))
                SELECT c.chunk_id, s.rank FROM s JOIN chunks c ON c.key = s.key
                {(filter is null ? string.Empty : "WHERE " + filter.WhereClause)}
                ORDER BY s.rank, c.chunk_id LIMIT $k
                """,
                ("$q", match),
                ("$keyset_repos", repositoriesJson),
                ("$keyset_low", span.Low),
                ("$keyset_high", span.High),
                ("$k", k));
        filter?.Bind(command);
        using var reader = command.ExecuteReader();
        var result = new List<ScoredChunk>();
        while (reader.Read())
        {
            result.Add(new ScoredChunk(reader.GetString(0), -reader.GetDouble(1)));
        }

        return result;
    }

    /// <summary>The lowest and highest chunk key of the listed repositories (a JSON array); null when they have no chunks.</summary>
    private static (long Low, long High)? KeySpan(SqliteConnection connection, string repositoriesJson)
    {
        using var command = Command(
            connection,
            null,
            "SELECT min(key), max(key) FROM chunks WHERE repository IN (SELECT value FROM json_each($r))",
            ("$r", repositoriesJson));
        using var reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(0) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// The lexical top <paramref name="k"/> from FTS5's own ranking first (<paramref name="k"/> x 2 + 16 rows), joined to
    /// the chunks and filtered afterwards; null when that cannot prove it equals the full query's answer.
    /// </summary>
    /// <remarks>
    /// CGR: the full query joins every matching row to <c>chunks</c> before sorting: a common term (file, read, parse)
    /// matches 10–15k of 100k chunks, and the join cost twice the ranking itself (35–40 ms against 15–18 ms). The short
    /// answer is exact when the fetch was exhaustive, or when the last admitted row ranks strictly better than the worst
    /// fetched row (every row not fetched ranks no better than that one, so none can tie or precede an admitted one);
    /// ties keep the full query's order (rank, chunk id). Otherwise (a selective filter, many ties) the caller runs the
    /// full query. The filter is applied to every fetched row, so the ACL holds either way.
    /// </remarks>
    internal static IReadOnlyList<ScoredChunk>? TryLexicalTopFirst(SqliteConnection connection, string match, int k, FilterSql? filter)
    {
        var fetch = (k * 2) + 16;
        using var command = Command(
            connection,
            null,
            $"""
            SELECT c.chunk_id, s.rank, {(filter is null ? "1" : "(" + filter.WhereClause + ")")} AS admitted FROM (
                SELECT rowid, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY rank LIMIT $fetch) AS s
            JOIN chunks c ON c.key = s.rowid
            ORDER BY s.rank, c.chunk_id
            """,
            ("$q", match),
            ("$fetch", fetch));
        filter?.Bind(command);
        var fetched = 0;
        var worst = double.NegativeInfinity;
        var admitted = new List<ScoredChunk>(k);
        var lastAdmittedRank = double.NegativeInfinity;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                fetched++;
                var rank = reader.GetDouble(1);
                worst = Math.Max(worst, rank);
                if (admitted.Count < k && reader.GetInt64(2) != 0)
                {
                    admitted.Add(new ScoredChunk(reader.GetString(0), -rank));
                    lastAdmittedRank = rank;
                }
            }
        }

        var exhaustive = fetched < fetch;
        return exhaustive || (admitted.Count == k && lastAdmittedRank < worst) ? admitted : null;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        RunAsync("GetChunks", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            if (ids.Count == 0)
            {
                return (IReadOnlyList<ChunkRecord>)[];
            }

            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                $"SELECT {ChunkColumns} FROM chunks c WHERE c.chunk_id IN (SELECT value FROM json_each($ids))",
                ("$ids", JsonSerializer.Serialize(ids)));
            return (IReadOnlyList<ChunkRecord>)ReadChunks(command);
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default) =>
        RunAsync("GetSymbolChunks", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(repository);
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(symbolPath);
            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                $"SELECT {ChunkColumns} FROM chunks c WHERE c.repository = $r AND c.path = $p AND c.symbol_path = $s ORDER BY c.start_line, c.end_line, c.chunk_id",
                ("$r", repository),
                ("$p", path),
                ("$s", symbolPath));
            return (IReadOnlyList<ChunkRecord>)ReadChunks(command);
        });

    /// <inheritdoc/>
    /// <remarks>
    /// Files are found through the <see cref="FileIndex"/> graph queries share (by file name, for the commit sequence this
    /// read sees), and their chunks in one query over the (repository, path, symbol_path) index in the same read.
    /// </remarks>
    public Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
        IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default) =>
        RunAsync("GetMentionedFilesChunks", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(paths);
            if (paths.Count == 0 || maxFilesPerPath <= 0 || repositories is { Count: 0 })
            {
                return (IReadOnlyList<ChunkRecord>)[];
            }

            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: true);
            var sequence = DenseVectorIndex.ReadCommitSequence(connection, transaction);
            var index = _graphCache.Files(sequence, () => FileIndex.Load(connection, transaction, sequence));
            var readable = repositories?.ToHashSet(StringComparer.Ordinal);
            var files = PathMentions.ResolveAll(
                paths, name => index.WithFileName(name).Where(f => readable is null || readable.Contains(f.Repository)), maxFilesPerPath);
            if (files.Count == 0)
            {
                return [];
            }

            using var command = Command(
                connection,
                transaction,
                $"""
                SELECT {ChunkColumns} FROM json_each($files) AS k
                CROSS JOIN chunks c ON c.repository = k.value ->> '$[0]' AND c.path = k.value ->> '$[1]'
                ORDER BY k.key, c.start_line, c.end_line, c.chunk_id
                """,
                ("$files", JsonSerializer.Serialize(files.Select(f => new[] { f.Repository, f.Path }))));
            return (IReadOnlyList<ChunkRecord>)ReadChunks(command);
        });

    /// <inheritdoc/>
    /// <remarks>One query for all symbols: the keys drive the loop (CROSS JOIN), each probing the (repository, path, symbol_path) index.</remarks>
    public Task<IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>>> GetSymbolsChunksAsync(
        IReadOnlyCollection<SymbolKey> symbols, CancellationToken cancellationToken = default) =>
        RunAsync("GetSymbolsChunks", cancellationToken, () =>
        {
            ArgumentNullException.ThrowIfNull(symbols);
            var result = new Dictionary<SymbolKey, IReadOnlyList<ChunkRecord>>();
            var keys = new List<string[]>(symbols.Count);
            foreach (var symbol in symbols)
            {
                ArgumentNullException.ThrowIfNull(symbol);
                if (result.TryAdd(symbol, []))
                {
                    keys.Add([symbol.Repository, symbol.Path, symbol.QualifiedName]);
                }
            }

            if (keys.Count == 0)
            {
                return (IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>>)result;
            }

            using var connection = OpenConnection();
            using var command = Command(
                connection,
                null,
                $"""
                SELECT {ChunkColumns} FROM json_each($keys) AS k
                CROSS JOIN chunks c ON c.repository = k.value ->> '$[0]' AND c.path = k.value ->> '$[1]' AND c.symbol_path = k.value ->> '$[2]'
                ORDER BY k.key, c.start_line, c.end_line, c.chunk_id
                """,
                ("$keys", JsonSerializer.Serialize(keys)));
            var grouped = new Dictionary<SymbolKey, List<ChunkRecord>>();
            foreach (var chunk in ReadChunks(command))
            {
                var key = new SymbolKey(chunk.Repository, chunk.Path, chunk.SymbolPath);
                if (!grouped.TryGetValue(key, out var list))
                {
                    grouped[key] = list = [];
                }

                list.Add(chunk);
            }

            foreach (var (key, list) in grouped)
            {
                result[key] = list;
            }

            return (IReadOnlyDictionary<SymbolKey, IReadOnlyList<ChunkRecord>>)result;
        });

    /// <summary>
    /// Every term as an FTS5 string (double quotes doubled), OR-ed; null when no term has a letter or digit.
    /// Quoting makes operators (<c>OR</c>, <c>NEAR(</c>, <c>*</c>, <c>-</c>, <c>^</c>, column filters) plain text.
    /// </summary>
    internal static string? BuildMatchExpression(IReadOnlyList<string> terms)
    {
        var quoted = Phrases(terms).Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"").ToList();
        return quoted.Count == 0 ? null : string.Join(" OR ", quoted);
    }

    /// <summary>
    /// The phrases a lexical query searches: each term without control characters, those without a letter or digit
    /// dropped, duplicates once, in order (the FTS5 expression quotes each; the postings take each as a token).
    /// </summary>
    private static List<string> Phrases(IReadOnlyList<string> terms)
    {
        var phrases = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (string.IsNullOrWhiteSpace(term))
            {
                continue;
            }

            var phrase = new string(term.Where(ch => !char.IsControl(ch)).ToArray());
            if (phrase.Any(char.IsLetterOrDigit) && seen.Add(phrase))
            {
                phrases.Add(phrase);
            }
        }

        return phrases;
    }

    private static List<ChunkRecord> ReadChunks(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var result = new List<ChunkRecord>();
        while (reader.Read())
        {
            result.Add(new ChunkRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                Enum.Parse<ChunkKind>(reader.GetString(5)),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetString(8),
                reader.GetString(9),
                reader.GetString(10),
                reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                FileClasses.ParseStored(reader.GetString(13))));
        }

        return result;
    }

    private sealed record CountAtSequence(long Sequence, long Count);
}
