using System.Diagnostics;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Telemetry;
using CodeGraphRag.Retrieval;
using CodeGraphRag.Retrieval.Context;
using CodeGraphRag.Retrieval.Files;
using CodeGraphRag.Retrieval.Fusion;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.Retrieval.Mentions;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.Retrieval.Query;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CodeGraphRag.Grains.Search;

/// <summary>
/// The query pipeline: parse inline filters, embed the query, dense and lexical search in parallel (in the hybrid modes
/// also the chunks of the files the query names by path), reciprocal rank fusion, then the graph stage (callers,
/// callees, parents attached and allowed into the ranking at a discount).
/// Access control is applied inside the stores, so hidden repositories never reach this grain.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class SearchGrain(
    IChunkStore chunks, ICodeGraphStore graph, ILanguageRegistry languages, ITokenCounter tokens, IOptions<SearchOptions> options,
    IOptions<EmbeddingCallOptions> embeddingCalls, TimeProvider time) : Grain, ISearchGrain
{
    async Task<ContextResponse> ISearchGrain.GetContextAsync(ContextRequest request, CancellationToken cancellationToken)
    {
        var result = await ((ISearchGrain)this).SearchAsync(request.Search, cancellationToken);
        var items = await ContextItems.FromSearchAsync(result, chunks, cancellationToken);
        var packed = ContextPacker.Pack(items, request.TokenBudget, text => tokens.CountTokens(text, int.MaxValue),
            new ContextPackerOptions { IncludeRepository = request.Search.Repositories is not { Count: 1 } });
        var hits = packed.Included.Select(b => b.HitIndex).Distinct().Select(i => result.Hits[i]).ToList();
        return new ContextResponse(result, packed.Text, packed.Tokens, hits, packed.RelatedIncluded);
    }

    async Task<SearchResponse> ISearchGrain.SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = options.Value;
        var (text, filter) = Scope(request);
        if (filter.Repositories is { Count: 0 } || string.IsNullOrWhiteSpace(text))
        {
            return new SearchResponse(text, request.Mode, [], clock.Elapsed);
        }

        var pool = Math.Max(settings.CandidatePool, request.Top * 3);
        var longQuery = settings.Graph.IsLongQuery(text);
        var searched = longQuery && settings.DropVersionListings ? QueryText.WithoutVersionListings(text) : text;
        var denseTask = request.Mode == SearchMode.Lexical ? Task.FromResult<IReadOnlyList<ScoredChunk>>([]) : DenseAsync(searched, pool, filter, cancellationToken);
        var lexicalTask = request.Mode == SearchMode.Dense ? Task.FromResult<IReadOnlyList<ScoredChunk>>([]) : LexicalAsync(searched, pool, filter, cancellationToken);
        var mentionTask = request.Mode is SearchMode.Hybrid or SearchMode.HybridGraph && settings.MentionWeight > 0
            ? MentionedAsync(searched, filter, settings, cancellationToken)
            : Task.FromResult<IReadOnlyList<IReadOnlyList<ScoredChunk>>>([]);
        var symbolTask = request.Mode is SearchMode.Hybrid or SearchMode.HybridGraph && settings.SymbolMentionWeight > 0
            ? SymbolsAsync(searched, filter, settings, cancellationToken)
            : Task.FromResult<(IReadOnlyList<IReadOnlyList<ScoredChunk>>, IReadOnlyList<double>)>(([], []));
        var filesTask = request.Files && request.Mode != SearchMode.Dense && settings.FileLexicalWeight > 0
            ? Task.Run(() => FileLexicalAsync(searched, pool, filter, cancellationToken), cancellationToken)
            : Task.FromResult<IReadOnlyList<ScoredFile>>([]);
        var dense = await denseTask;
        var lexical = await lexicalTask;
        var mentioned = await mentionTask;
        var (symbols, symbolWeights) = await symbolTask;

        var stage = Stopwatch.StartNew();
        var fused = ReciprocalRankFusion.Fuse(
            [dense, lexical, .. mentioned, .. symbols], settings.RrfK, [.. settings.FusionWeights(longQuery), .. settings.MentionWeights(mentioned.Count), .. symbolWeights]);
        var showRaw = request.AllowedRepositories is null || request.ShowRawScores;
        var candidates = fused.Select(f => new GraphCandidate(f.ChunkId, f.Score, null, Breakdown(f, showRaw, mentioned.Count))).ToList();
        var records = (await chunks.GetChunksAsync(candidates.Select(c => c.ChunkId).ToList(), cancellationToken))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        PipelineMetrics.SearchStageFinished(SearchStages.Chunks, stage.Elapsed);
        var classFactors = ClassPriors.For(text, longQuery, filter, settings.ClassPriors);
        candidates = ClassPriors.Apply(candidates, id => records.TryGetValue(id, out var r) ? r.Class : null, classFactors);

        IReadOnlyList<GraphRankedHit> ranked;
        if (request.Mode == SearchMode.HybridGraph && candidates.Count > 0)
        {
            candidates = candidates.ConvertAll(c => records.TryGetValue(c.ChunkId, out var r) ? c with { Symbol = new SymbolKey(r.Repository, r.Path, r.SymbolPath) } : c);
            var neighbors = await NeighborsAsync(candidates, filter, settings, records, cancellationToken);
            ranked = GraphExpansion.Expand(candidates, neighbors, settings.Graph.ForQuery(longQuery));
        }
        else
        {
            ranked = candidates.Select(c => new GraphRankedHit(c.ChunkId, c.Score, c.Scores!, [], null, GraphRelation.None, true)).ToList();
        }

        // Graph newcomers must still satisfy the language, path and class filters of the query.
        var admitted = new List<SearchHit>(ranked.Count);
        foreach (var hit in ranked)
        {
            if (records.TryGetValue(hit.ChunkId, out var r) && Matches(r, filter))
            {
                admitted.Add(new SearchHit(admitted.Count + 1, r.Id, r.Repository, r.Path, r.StartLine, r.EndLine, r.SymbolPath, r.Kind,
                    r.Language, hit.Score, hit.Scores, r.Text, hit.Related, r.Class));
            }

            if (!request.Files && admitted.Count == request.Top)
            {
                break;
            }
        }

        List<FileHit>? files = null;
        if (request.Files)
        {
            var fileLexical = await filesTask;
            stage.Restart();
            files = RankFiles(admitted, fileLexical, classFactors, request.Top, settings);
            PipelineMetrics.SearchStageFinished(SearchStages.Files, stage.Elapsed);
        }

        return new SearchResponse(text, request.Mode, admitted.Count > request.Top ? admitted[..request.Top] : admitted, clock.Elapsed, files);
    }

    /// <summary>
    /// Files ranked by <see cref="FileRanking"/>: each file's admitted chunks aggregated (best plus decaying shares),
    /// fused with the files' own lexical documents (class priors applied to that share), each with its best chunks.
    /// </summary>
    private static List<FileHit> RankFiles(List<SearchHit> hits, IReadOnlyList<ScoredFile> lexical, double[]? classFactors, int top, SearchOptions settings)
    {
        var aggregated = FileRanking.Aggregate(hits.Select(h => (h.Repository, h.Path, h.Score)), settings.FileChunkDecay);
        var described = lexical.ToDictionary(f => (f.Repository, f.Path));
        var fused = FileRanking.Fuse(
            aggregated,
            lexical,
            settings.RrfK,
            settings.FileLexicalWeight,
            (repository, path) => classFactors is null ? 1 : classFactors[(int)described[(repository, path)].Class]);
        var byFile = hits.GroupBy(h => (h.Repository, h.Path)).ToDictionary(g => g.Key, g => g.Take(settings.ChunksPerFile).ToList());
        var result = new List<FileHit>(Math.Min(top, fused.Count));
        foreach (var file in fused.Take(top))
        {
            var key = (file.Repository, file.Path);
            var best = byFile.GetValueOrDefault(key) ?? [];
            var (language, fileClass) = best.Count > 0 ? (best[0].Language, best[0].Class) : (described[key].Language, described[key].Class);
            var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.FileChunks] = file.FromChunks, [ScoreKeys.FileLexical] = file.FromLexical };
            result.Add(new FileHit(result.Count + 1, file.Repository, file.Path, language, fileClass, file.Score, scores, best));
        }

        return result;
    }

    private async Task<IReadOnlyList<ScoredFile>> FileLexicalAsync(string text, int pool, ChunkFilter filter, CancellationToken cancellationToken)
    {
        var stage = Stopwatch.StartNew();
        var found = await chunks.SearchFilesLexicalAsync(LexicalAnalyzer.QueryTerms(text), pool, filter, cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.FileLexical, stage.Elapsed);
        return found;
    }

    private async Task<IReadOnlyList<ScoredChunk>> DenseAsync(string text, int pool, ChunkFilter filter, CancellationToken cancellationToken)
    {
        var stage = Stopwatch.StartNew();
        var vectors = await EmbeddingCalls.EmbedAsync(GrainFactory.GetGrain<IEmbeddingGrain>(0), [text], EmbeddingPurpose.Query, embeddingCalls.Value, time, cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Embed, stage.Elapsed);
        stage.Restart();
        var result = await chunks.SearchDenseAsync(vectors[0], pool, filter, cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Dense, stage.Elapsed);
        return result;
    }

    private async Task<IReadOnlyList<ScoredChunk>> LexicalAsync(string text, int pool, ChunkFilter filter, CancellationToken cancellationToken)
    {
        var stage = Stopwatch.StartNew();
        var terms = LexicalAnalyzer.QueryTerms(text);

        // CGR: off the grain's turn: the embedded store answers synchronously, and while it held the turn the query
        // embedding's continuation (and so the dense search) waited for it: embed stage p50 42 ms in hybrid+graph against
        // 11 ms alone at 104k chunks; 21 ms with this.
        var result = await Task.Run(() => chunks.SearchLexicalAsync(terms, pool, filter, cancellationToken), cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Lexical, stage.Elapsed);
        return result;
    }

    /// <summary>The mention lists: per file the query names by path, its chunks ranked by <see cref="MentionRanking"/>.</summary>
    private async Task<IReadOnlyList<IReadOnlyList<ScoredChunk>>> MentionedAsync(string text, ChunkFilter filter, SearchOptions settings, CancellationToken cancellationToken)
    {
        var mentions = QueryMentions.Extract(text, path => languages.Detect(path) is not null, settings.MaxMentionedPaths);
        if (mentions.Count == 0 || settings.MaxFilesPerMention == 0 || settings.MaxChunksPerMentionedFile == 0)
        {
            return [];
        }

        var stage = Stopwatch.StartNew();
        var paths = mentions.Select(m => m.Path).ToList();

        // Off the grain's turn, like the lexical stage: the embedded store answers synchronously.
        var found = await Task.Run(() => chunks.GetMentionedFilesChunksAsync(paths, filter.Repositories, settings.MaxFilesPerMention, cancellationToken), cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Mentions, stage.Elapsed);

        // Language and path filters hold here too, so a named file outside them takes no place in the list.
        var allowed = found.Where(c => Matches(c, filter)).ToList();
        return MentionRanking.Rank(mentions, allowed, LexicalAnalyzer.QueryTerms(text), settings.MaxChunksPerMentionedFile);
    }

    /// <summary>
    /// The symbol lists: per identifier the query names (<see cref="SymbolMentions"/>) that resolves to definitions in at
    /// most <see cref="SearchOptions.MaxFilesPerSymbol"/> files, the defining symbols' chunks then their callers' first
    /// chunks; with the fusion weight of each list.
    /// </summary>
    private async Task<(IReadOnlyList<IReadOnlyList<ScoredChunk>> Lists, IReadOnlyList<double> Weights)> SymbolsAsync(
        string text, ChunkFilter filter, SearchOptions settings, CancellationToken cancellationToken)
    {
        var mentions = SymbolMentions.Extract(text, settings.MaxSymbolMentions);
        if (mentions.Count == 0 || settings.MaxFilesPerSymbol == 0)
        {
            return ([], []);
        }

        var stage = Stopwatch.StartNew();

        // CGR: one more definition than a name may usefully have (a few per file: overloads, partial classes) tells a
        // common name (__init__, main, Dispose) from a rare one without reading every definition of it.
        var limit = (settings.MaxFilesPerSymbol * 4) + 1;
        var definitions = await graph.FindDefinitionsAsync([.. mentions.Select(m => m.Name).Distinct(StringComparer.Ordinal)], filter.Repositories, limit, cancellationToken);
        var resolved = new List<(SymbolMention Mention, List<SymbolKey> Symbols, int Files)>();
        foreach (var mention in mentions)
        {
            var found = definitions.Where(d => d.Name == mention.Name).ToList();
            if (found.Count == 0 || found.Count == limit)
            {
                continue;
            }

            if (mention.Qualifier is { } qualifier && found.Where(d => Qualifies(d.Symbol, qualifier)).ToList() is { Count: > 0 } qualified)
            {
                found = qualified;
            }

            var files = found.Select(d => (d.Symbol.Repository, d.Symbol.Path)).Distinct().Count();
            if (files <= settings.MaxFilesPerSymbol)
            {
                resolved.Add((mention, [.. found.Select(d => d.Symbol).Distinct()], files));
            }
        }

        if (resolved.Count == 0)
        {
            PipelineMetrics.SearchStageFinished(SearchStages.Symbols, stage.Elapsed);
            return ([], []);
        }

        var defining = resolved.SelectMany(r => r.Symbols).Distinct().ToList();
        var callers = await graph.GetNeighborsAsync(defining, new NeighborQuery(GraphRelation.Caller, 2, settings.Graph.MaxCandidatesPerName, filter.Repositories), cancellationToken);
        var chunksOf = await chunks.GetSymbolsChunksAsync([.. defining.Concat(callers.Select(c => c.Neighbor)).Distinct()], cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Symbols, stage.Elapsed);

        var lists = new List<IReadOnlyList<ScoredChunk>>(resolved.Count);
        var weights = new List<double>(resolved.Count);
        foreach (var (mention, symbols, files) in resolved)
        {
            var ordered = symbols.SelectMany(s => (chunksOf.GetValueOrDefault(s) ?? []).Take(settings.MaxChunksPerMentionedFile))
                .Concat(callers.Where(c => symbols.Contains(c.From)).SelectMany(c => (chunksOf.GetValueOrDefault(c.Neighbor) ?? []).Take(1)))
                .Where(c => Matches(c, filter))
                .Select(c => c.Id)
                .Distinct(StringComparer.Ordinal)
                .Select(id => new ScoredChunk(id, lists.Count + 1))
                .ToList();
            if (ordered.Count > 0)
            {
                weights.Add(settings.SymbolMentionWeight * Math.Pow(settings.MentionDecay, lists.Count) / files);
                lists.Add(ordered);
            }
        }

        return (lists, weights);
    }

    /// <summary>Whether a definition sits where a dotted name's qualifier says: a type or module of that name encloses it, or its file is named so.</summary>
    private static bool Qualifies(SymbolKey symbol, string qualifier)
    {
        var last = qualifier[(qualifier.LastIndexOf('.') + 1)..];
        var enclosing = symbol.QualifiedName.LastIndexOf('.') is var dot and > 0 ? symbol.QualifiedName[..dot] : string.Empty;
        var file = Path.GetFileNameWithoutExtension(symbol.Path);
        return enclosing.EndsWith(last, StringComparison.Ordinal) || file.Equals(last, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<IReadOnlyList<ResolvedNeighbor>> NeighborsAsync(
        List<GraphCandidate> candidates, ChunkFilter filter, SearchOptions settings, Dictionary<string, ChunkRecord> records, CancellationToken cancellationToken)
    {
        var symbols = candidates.Take(settings.Graph.ExpandTop).Where(c => c.Symbol is not null).Select(c => c.Symbol!).Distinct().ToList();
        if (symbols.Count == 0)
        {
            return [];
        }

        var query = new NeighborQuery(GraphRelation.All, settings.MaxNeighborsPerRelation, settings.Graph.MaxCandidatesPerName, filter.Repositories);
        var stage = Stopwatch.StartNew();
        var neighbors = await graph.GetNeighborsAsync(symbols, query, cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.Graph, stage.Elapsed);
        if (neighbors.Count == 0)
        {
            return [];
        }

        // One batched lookup for every neighbour's chunks (the neighbours are already restricted to readable repositories).
        stage.Restart();
        var found = await chunks.GetSymbolsChunksAsync(neighbors.Select(n => n.Neighbor).Distinct().ToList(), cancellationToken);
        PipelineMetrics.SearchStageFinished(SearchStages.NeighborChunks, stage.Elapsed);
        var chunkIds = new Dictionary<SymbolKey, IReadOnlyList<string>>(found.Count);
        foreach (var (symbol, symbolChunks) in found)
        {
            foreach (var c in symbolChunks)
            {
                records.TryAdd(c.Id, c);
            }

            chunkIds[symbol] = symbolChunks.Select(c => c.Id).ToList();
        }

        return neighbors.Select(n => new ResolvedNeighbor(n, chunkIds.GetValueOrDefault(n.Neighbor) ?? [])).ToList();
    }

    private static (string Text, ChunkFilter Filter) Scope(SearchRequest request)
    {
        var text = request.Query.Trim();
        var repositories = request.Repositories?.ToList();
        var languages = request.Languages?.Select(QueryParser.NormalizeLanguage).ToList();
        var path = request.PathGlob;
        var classes = request.Classes?.ToList();
        var excluded = request.ExcludedClasses?.ToList();
        if (request.ParseInlineFilters)
        {
            ParsedQuery parsed;
            try
            {
                parsed = QueryParser.Parse(request.Query);
            }
            catch (QueryParseException ex)
            {
                throw new ArgumentException(ex.Message, nameof(request), ex);
            }

            text = parsed.Text;
            if (parsed.Repositories.Count > 0)
            {
                repositories = repositories is null ? [.. parsed.Repositories] : repositories.Intersect(parsed.Repositories, StringComparer.Ordinal).ToList();
            }

            if (parsed.Languages.Count > 0)
            {
                languages = [.. (languages ?? []), .. parsed.Languages];
            }

            path = parsed.PathGlob ?? path;
            if (parsed.Classes is { Count: > 0 })
            {
                classes = [.. (classes ?? []), .. parsed.Classes];
            }

            if (parsed.ExcludedClasses is { Count: > 0 })
            {
                excluded = [.. (excluded ?? []), .. parsed.ExcludedClasses];
            }
        }

        if (request.AllowedRepositories is { } allowed)
        {
            repositories = repositories is null ? [.. allowed] : repositories.Intersect(allowed, StringComparer.Ordinal).ToList();
        }

        return (text, new ChunkFilter(repositories, languages is { Count: > 0 } ? languages : null, path,
            classes is { Count: > 0 } ? classes.Distinct().ToList() : null, excluded is { Count: > 0 } ? excluded.Distinct().ToList() : null));
    }

    private static bool Matches(ChunkRecord r, ChunkFilter filter)
        => (filter.Repositories is null || filter.Repositories.Contains(r.Repository, StringComparer.Ordinal))
            && (filter.Languages is null || filter.Languages.Contains(r.Language, StringComparer.Ordinal))
            && (filter.PathGlob is null || PathGlob.IsMatch(filter.PathGlob, r.Path))
            && filter.AdmitsClass(r.Class);

    private static Dictionary<string, double> Breakdown(FusedCandidate f, bool showRaw, int pathLists)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal) { [ScoreKeys.Rrf] = f.Score };
        if (showRaw)
        {
            if (f.RawScores[0] is { } d)
            {
                scores[ScoreKeys.Dense] = d;
            }

            if (f.RawScores[1] is { } l)
            {
                scores[ScoreKeys.Lexical] = l;
            }

            if (f.RawScores.Skip(2).Take(pathLists).FirstOrDefault(m => m is not null) is { } m)
            {
                scores[ScoreKeys.Mention] = m;
            }

            if (f.RawScores.Skip(2 + pathLists).FirstOrDefault(m => m is not null) is { } s)
            {
                scores[ScoreKeys.Symbol] = s;
            }
        }

        return scores;
    }
}
