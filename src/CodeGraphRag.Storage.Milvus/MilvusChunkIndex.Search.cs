using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus.Internals;
using CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Storage.Milvus;

/// <content>IChunkStore: dense, BM25 and hybrid search, chunk lookup.</content>
public sealed partial class MilvusChunkIndex
{
    private static readonly string[] s_fileFields = [Constants.FieldId, Constants.FieldRepository, Constants.FieldPath];

    /// <inheritdoc/>
    /// <remarks>Scores are COSINE similarity (1.0 = identical), the embedded backend's scale.</remarks>
    /// <exception cref="ArgumentException">The query's length differs from the configured dimensions.</exception>
    public async Task<IReadOnlyList<ScoredChunk>> SearchDenseAsync(float[] query, int k, ChunkFilter filter, CancellationToken cancellationToken = default)
    {
        CheckQueryVector(query);
        var plan = SearchFilter.From(filter);
        if (k <= 0 || plan.MatchesNothing)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await SearchPagesAsync(
            "SearchDense",
            plan,
            dense: true,
            k,
            (w, offset, limit) =>
            {
                w.WriteStartArray("data");
                w.WriteVector(query);
                w.WriteEndArray();
                w.WriteString("annsField", Constants.FieldEmbedding);
                WriteDenseSearchParams(w, "searchParams", offset + limit);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The terms are sent joined by spaces as the BM25 query text; a term the embedded tokenizer would split into several
    /// words (never produced by the lexical analyzer) is dropped, since BM25 has no phrases. Scores are Milvus' BM25.
    /// </remarks>
    public async Task<IReadOnlyList<ScoredChunk>> SearchLexicalAsync(IReadOnlyList<string> terms, int k, ChunkFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var text = LexicalQuery.Build(terms);
        var plan = SearchFilter.From(filter);
        if (text is null || k <= 0 || plan.MatchesNothing)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await SearchPagesAsync(
            "SearchLexical",
            plan,
            dense: false,
            k,
            (w, _, _) =>
            {
                w.WriteStrings("data", [text]);
                w.WriteString("annsField", Constants.FieldSparse);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Dense and BM25 search in one request, fused by Milvus' RRF ranker (score = sum of 1/(<paramref name="rrfK"/> + rank)).
    /// </summary>
    /// <param name="query">A unit vector of the configured model.</param>
    /// <param name="terms">Analysed lexical terms, as for <see cref="SearchLexicalAsync"/>; when none is usable this is <see cref="SearchDenseAsync"/>.</param>
    /// <param name="k">How many chunks to return.</param>
    /// <param name="filter">Repository ACL set, languages and path glob, applied to both searches.</param>
    /// <param name="rrfK">The RRF constant (Milvus accepts 1 to 16383).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <remarks>A path glob beyond its literal prefix is checked after fusion, so such a filter may return fewer than <paramref name="k"/>.</remarks>
    public async Task<IReadOnlyList<ScoredChunk>> SearchHybridAsync(
        float[] query, IReadOnlyList<string> terms, int k, ChunkFilter filter, int rrfK = SearchLimits.RrfK, CancellationToken cancellationToken = default)
    {
        CheckQueryVector(query);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentOutOfRangeException.ThrowIfLessThan(rrfK, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rrfK, Constants.MaxTopK - 1);
        var text = LexicalQuery.Build(terms);
        if (text is null)
        {
            return await SearchDenseAsync(query, k, filter, cancellationToken).ConfigureAwait(false);
        }

        var plan = SearchFilter.From(filter);
        if (k <= 0 || plan.MatchesNothing)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var limit = plan.PostFilter is null ? Math.Min(k, Constants.MaxTopK) : Math.Min(Constants.MaxTopK, Math.Max(k * 4, 64));
        var body = JsonBody.Object(w =>
        {
            _rest.WriteTarget(w);
            w.WriteStartArray("search");
            w.WriteStartObject();
            w.WriteStartArray("data");
            w.WriteVector(query);
            w.WriteEndArray();
            w.WriteString("annsField", Constants.FieldEmbedding);
            WriteFilter(w, plan, dense: true);
            w.WriteNumber("limit", limit);
            WriteDenseSearchParams(w, "params", limit);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteStrings("data", [text]);
            w.WriteString("annsField", Constants.FieldSparse);
            WriteFilter(w, plan, dense: false);
            w.WriteNumber("limit", limit);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("rerank");
            w.WriteString("strategy", "rrf");
            w.WriteStartObject("params");
            w.WriteNumber("k", rrfK);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteNumber("limit", limit);
            WriteOutputFields(w, plan);
            w.WriteString("consistencyLevel", _options.ConsistencyLevel);
        });
        var data = await _rest.PostAsync("entities/hybrid_search", "SearchHybrid", body, cancellationToken).ConfigureAwait(false);
        var result = new List<ScoredChunk>(Math.Min(k, limit));
        foreach (var hit in ReadHits(data, "SearchHybrid"))
        {
            if (plan.PostFilter is null || (hit.Path is not null && plan.PostFilter.IsMatch(hit.Path)))
            {
                result.Add(new ScoredChunk(hit.Id, hit.Score));
                if (result.Count == k)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ChunkRecord>(ids.Count);
        foreach (var batch in FilterExpression.Batches(ids.Distinct(StringComparer.Ordinal)))
        {
            var rows = await QueryAsync("GetChunks", FilterExpression.In(Constants.FieldId, batch), ChunkRows.RecordFields, cancellationToken).ConfigureAwait(false);
            result.AddRange(rows.Select(ReadRecord));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChunkRecord>> GetSymbolChunksAsync(string repository, string path, string symbolPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(symbolPath);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var filter = $"{FilterExpression.File(repository, path)} and {FilterExpression.Equal(Constants.FieldSymbolPath, symbolPath)}";
        var rows = await QueryAsync("GetSymbolChunks", filter, ChunkRows.RecordFields, cancellationToken).ConfigureAwait(false);
        return rows.Select(ReadRecord)
            .OrderBy(c => c.StartLine)
            .ThenBy(c => c.EndLine)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One query per distinct file name for the candidate files (<c>path == "name" or path like "%/name"</c>, where
    /// <c>_</c> and <c>%</c> in the name only widen the match: the file name is compared exactly afterwards), then one
    /// query per resolved file for its chunks.
    /// </remarks>
    public async Task<IReadOnlyList<ChunkRecord>> GetMentionedFilesChunksAsync(
        IReadOnlyList<string> paths, IReadOnlyList<string>? repositories, int maxFilesPerPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0 || maxFilesPerPath <= 0 || repositories is { Count: 0 })
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var byName = new Dictionary<string, List<(string Repository, string Path)>>(StringComparer.Ordinal);
        foreach (var name in paths.Select(PathMentions.Normalize).Where(p => p.Length > 0).Select(PathMentions.FileName).Distinct(StringComparer.Ordinal))
        {
            var filter = $"({FilterExpression.Equal(Constants.FieldPath, name)} or {Constants.FieldPath} like {FilterExpression.Literal("%/" + name)})";
            if (repositories is not null)
            {
                filter = $"{FilterExpression.In(Constants.FieldRepository, repositories.Distinct(StringComparer.Ordinal))} and {filter}";
            }

            var rows = await QueryAsync("FindFilesByName", filter, s_fileFields, cancellationToken).ConfigureAwait(false);
            byName[name] = Decode("FindFilesByName", () => rows
                .Select(r => (Repository: ChunkRows.String(r, Constants.FieldRepository), Path: ChunkRows.String(r, Constants.FieldPath)))
                .Where(f => PathMentions.FileName(f.Path) == name)
                .Distinct()
                .OrderBy(f => f.Repository, StringComparer.Ordinal)
                .ThenBy(f => f.Path, StringComparer.Ordinal)
                .ToList());
        }

        var files = PathMentions.ResolveAll(paths, name => byName[name], maxFilesPerPath);
        var result = new List<ChunkRecord>();
        foreach (var (repository, path) in files)
        {
            var rows = await QueryAsync("GetMentionedFilesChunks", FilterExpression.File(repository, path), ChunkRows.RecordFields, cancellationToken).ConfigureAwait(false);
            result.AddRange(rows.Select(ReadRecord).OrderBy(c => c.StartLine).ThenBy(c => c.EndLine).ThenBy(c => c.Id, StringComparer.Ordinal));
        }

        return result;
    }

    /// <summary>
    /// Runs a single-vector search page by page: without a post-filter one page of <paramref name="k"/> is the answer; with
    /// one, pages of 4k are read until k hits pass the glob, the results run out or Milvus' 16,384 window is reached.
    /// </summary>
    private async Task<IReadOnlyList<ScoredChunk>> SearchPagesAsync(
        string operation, SearchFilter plan, bool dense, int k, Action<Utf8JsonWriter, int, int> writeQuery, CancellationToken cancellationToken)
    {
        k = Math.Min(k, Constants.MaxTopK);
        var pageSize = plan.PostFilter is null ? k : Math.Min(Constants.MaxTopK, Math.Max(k * 4, 64));
        var result = new List<ScoredChunk>(k);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; offset < Constants.MaxTopK;)
        {
            var limit = Math.Min(pageSize, Constants.MaxTopK - offset);
            var pageOffset = offset;
            var body = JsonBody.Object(w =>
            {
                _rest.WriteTarget(w);
                writeQuery(w, pageOffset, limit);
                WriteFilter(w, plan, dense);
                w.WriteNumber("limit", limit);
                if (pageOffset > 0)
                {
                    w.WriteNumber("offset", pageOffset);
                }

                WriteOutputFields(w, plan);
                w.WriteString("consistencyLevel", _options.ConsistencyLevel);
            });
            var data = await _rest.PostAsync("entities/search", operation, body, cancellationToken).ConfigureAwait(false);
            var hits = ReadHits(data, operation);
            foreach (var hit in hits)
            {
                if (seen.Add(hit.Id) && (plan.PostFilter is null || (hit.Path is not null && plan.PostFilter.IsMatch(hit.Path))))
                {
                    result.Add(new ScoredChunk(hit.Id, hit.Score));
                    if (result.Count == k)
                    {
                        return result;
                    }
                }
            }

            if (plan.PostFilter is null || hits.Count < limit)
            {
                break;
            }

            offset += limit;
        }

        return result;
    }

    private void WriteDenseSearchParams(Utf8JsonWriter writer, string name, int topK)
    {
        writer.WriteStartObject(name);
        if (_options.IndexType == "HNSW")
        {
            // CGR: HNSW needs ef >= the number of results it must produce (offset + limit).
            var ef = Math.Max(_options.SearchEf, topK);
            if (name == "searchParams")
            {
                writer.WriteStartObject("params");
                writer.WriteNumber("ef", ef);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNumber("ef", ef);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The request's pre-filter; a dense search also leaves out rows still waiting for their vector (their placeholder
    /// would rank at random), a BM25 search finds them.
    /// </summary>
    private static void WriteFilter(Utf8JsonWriter writer, SearchFilter plan, bool dense)
    {
        var expression = !dense ? plan.Expression : plan.Expression is null ? ChunkRows.NotPending : $"{plan.Expression} and {ChunkRows.NotPending}";
        if (expression is not null)
        {
            writer.WriteString("filter", expression);
        }
    }

    private static void WriteOutputFields(Utf8JsonWriter writer, SearchFilter plan)
    {
        if (plan.PostFilter is not null)
        {
            writer.WriteStrings("outputFields", [Constants.FieldPath]);
        }
    }

    private void CheckQueryVector(float[] query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length != _options.Dimensions)
        {
            throw new ArgumentException($"The query vector has {query.Length} dimensions; model {_options.ModelId} has {_options.Dimensions}.", nameof(query));
        }
    }

    private List<SearchHits.Hit> ReadHits(JsonElement data, string operation) => Decode(operation, () => SearchHits.Read(data));

    /// <summary>Runs <paramref name="read"/>, turning a malformed answer into a <see cref="MilvusException"/>.</summary>
    private T Decode<T>(string operation, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidDataException or InvalidOperationException)
        {
            throw new MilvusException(operation, _options.Collection, null, null, $"Milvus returned data this client cannot read: {ex.Message}", ex);
        }
    }

    private ChunkRecord ReadRecord(JsonElement row) => Decode("ReadChunk", () => ChunkRows.Read(row));

    /// <summary>
    /// Runs a query, paging with a primary-key cursor (<c>chunk_id &gt; last</c>) when a page is full: Milvus returns query
    /// results in primary-key order, which is what its own query iterators rely on.
    /// </summary>
    private async Task<List<JsonElement>> QueryAsync(
        string operation, string filter, IReadOnlyList<string> outputFields, CancellationToken cancellationToken, int pageSize = Constants.MaxTopK, bool firstPageOnly = false)
    {
        var rows = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var expression = after is null ? filter : $"({filter}) and {Constants.FieldId} > {FilterExpression.Literal(after)}";
            var body = JsonBody.Object(w =>
            {
                _rest.WriteTarget(w);
                w.WriteString("filter", expression);
                w.WriteStrings("outputFields", outputFields);
                w.WriteNumber("limit", pageSize);
                w.WriteString("consistencyLevel", _options.ConsistencyLevel);
            });
            var data = await _rest.PostAsync("entities/query", operation, body, cancellationToken).ConfigureAwait(false);
            var page = SearchHits.Rows(data);
            rows.AddRange(page);
            if (page.Count < pageSize || firstPageOnly)
            {
                return rows;
            }

            after = Decode(operation, () => page.Select(r => ChunkRows.String(r, Constants.FieldId)).Max(StringComparer.Ordinal));
        }
    }
}
