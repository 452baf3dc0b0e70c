using System.Diagnostics;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Abstractions.Telemetry;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Api.Telemetry;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Retrieval.Search;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Abs = CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Api.Services;

/// <summary>The codegraphrag.v1 service over the grains and stores: validation, ACL, audit, query log.</summary>
internal sealed partial class CodeGraphRagService(
    IGrainFactory grains,
    IRepositoryCatalog catalog,
    ICodeGraphStore graph,
    IChunkStore chunks,
    IOptions<SearchOptions> searchOptions,
    CallerResolver callers,
    RepositorySources sources,
    RepositorySyncs syncs,
    RepositoryRegistration registration,
    QueryLogStore queryLog,
    AuditLog audit,
    ServerTelemetry telemetry,
    TimeProvider time,
    ILogger<CodeGraphRagService> logger) : V1.CodeGraphRag.CodeGraphRagBase
{
    private const int ContextSearchTop = Abs.SearchLimits.ContextTop;
    private const int MaxPathLength = 4_096;

    public override Task<V1.Repository> RegisterRepository(V1.RegisterRepositoryRequest request, ServerCallContext context)
        => RunAsync("RegisterRepository", context, async (caller, entry, ct) =>
        {
            RequireAdmin(caller);
            var (info, branch) = await registration.RegisterAsync(
                request.SourceCase == V1.RegisterRepositoryRequest.SourceOneofCase.LocalPath ? request.LocalPath : null,
                request.SourceCase == V1.RegisterRepositoryRequest.SourceOneofCase.GitUrl ? request.GitUrl : null,
                request.Name, request.Branch, request.ReadGroups, RegistrationFields.Grpc, ct);
            entry.Repositories.Add(info.Name);
            entry.ResultCount = 1;
            return ProtoMapping.Repository(info, branch, showServerPath: true);
        });

    public override Task Sync(V1.SyncRequest request, IServerStreamWriter<V1.SyncProgress> responseStream, ServerCallContext context)
        => RunAsync("Sync", context, async (caller, entry, ct) =>
        {
            RequireAdmin(caller);
            var name = RequestLimits.RepositoryName(request.Repository, "repository");
            var revision = RequestLimits.Optional(request.Revision, 256, "revision");
            entry.Repositories.Add(name);
            var info = await catalog.GetRepositoryAsync(name, ct) ?? throw RequestLimits.NotFound($"repository '{name}' not found");
            if (!RepositorySyncs.IsGitSource(info.Source))
            {
                // CGR: registered before the roots were restricted, or a link changed since: checked again on every sync.
                registration.AllowedServerPath(info.Source, "repository");
            }

            var syncRequest = await syncs.RequestForAsync(info, revision, ct);
            SyncProgress? last = null;
            // CGR: a cancelled or expired call stops following the sync; the sync itself goes on (others may be following it).
            await foreach (var progress in syncs.FollowAsync(name, syncRequest, ct))
            {
                last = progress;
                await responseStream.WriteAsync(ProtoMapping.Progress(name, progress), ct);
            }

            entry.ResultCount = last?.FilesProcessed ?? 0;
            if (last is { Phase: SyncPhase.Failed })
            {
                throw new RpcException(new Status(FailureCode(info, last), $"sync of '{name}' failed: {last.Error}"));
            }

            return true;
        });

    public override Task<V1.CancelSyncResponse> CancelSync(V1.CancelSyncRequest request, ServerCallContext context)
        => RunAsync("CancelSync", context, async (caller, entry, ct) =>
        {
            var name = await AdminRepositoryAsync(caller, request.Repository, entry, ct);
            var grain = grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name));
            var progress = await grain.GetProgressAsync();
            var running = progress.Phase != SyncPhase.Idle && !progress.IsFinished;
            if (running)
            {
                await grain.CancelAsync();
                // Files in flight finish or are abandoned before their manifest entry; wait for the sync to say so.
                while (progress.Phase != SyncPhase.Idle && !progress.IsFinished)
                {
                    await Task.Delay(RepositorySyncs.PollInterval, time, ct);
                    progress = await grain.GetProgressAsync();
                }

                entry.ResultCount = 1;
            }

            return new V1.CancelSyncResponse { Cancelled = running, Progress = ProtoMapping.Progress(name, progress) };
        });

    public override Task<V1.StatusResponse> Status(V1.StatusRequest request, ServerCallContext context)
        => RunAsync("Status", context, async (caller, entry, ct) =>
        {
            var name = RequestLimits.RepositoryName(request.Repository, "repository");
            entry.Repositories.Add(name);
            var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
            var info = readable.Find(name) ?? throw RequestLimits.NotFound($"repository '{name}' not found");
            var stats = await catalog.GetStatsAsync(name, ct);
            var progress = await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name)).GetProgressAsync();
            var response = new V1.StatusResponse
            {
                Repository = ProtoMapping.Repository(info, await sources.GetBranchAsync(name, ct), caller.IsAdmin),
                Chunks = stats.Chunks,
                Symbols = stats.Symbols,
                References = stats.References,
                LastSync = progress.Phase == SyncPhase.Idle ? null : ProtoMapping.Progress(name, caller.IsAdmin ? progress : WithoutServerPath(progress, info)),
            };
            foreach (var (status, count) in stats.Files)
            {
                response.FilesByStatus[ProtoMapping.Camel(status.ToString())] = count;
            }

            foreach (var (reason, count) in stats.SkippedByReason)
            {
                response.SkippedByReason[reason] = count;
            }

            foreach (var (language, count) in stats.Languages)
            {
                response.FilesByLanguage[language] = count;
            }

            response.FailedFiles.AddRange(stats.FailedFiles.Select(f => new V1.FailedFile { Path = f.Key, Reason = f.Value }));
            entry.ResultCount = 1;
            return response;
        });

    public override Task<V1.ListRepositoriesResponse> ListRepositories(V1.ListRepositoriesRequest request, ServerCallContext context)
        => RunAsync("ListRepositories", context, async (caller, entry, ct) =>
        {
            var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
            var branches = await sources.GetAllAsync(ct);
            var response = new V1.ListRepositoriesResponse();
            response.Repositories.AddRange(readable.All.Select(r => ProtoMapping.Repository(r, branches.GetValueOrDefault(r.Name), caller.IsAdmin)));
            entry.ResultCount = response.Repositories.Count;
            return response;
        });

    public override Task<V1.RemoveRepositoryResponse> RemoveRepository(V1.RemoveRepositoryRequest request, ServerCallContext context)
        => RunAsync("RemoveRepository", context, async (caller, entry, ct) =>
        {
            var name = await AdminRepositoryAsync(caller, request.Repository, entry, ct);
            await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name)).RemoveAsync();
            await sources.SetBranchAsync(name, null, ct);
            entry.ResultCount = 1;
            return new V1.RemoveRepositoryResponse();
        });

    public override Task<V1.SearchResponse> Search(V1.SearchRequest request, ServerCallContext context)
        => RunAsync("Search", context, async (caller, entry, ct) =>
        {
            var query = RequestLimits.Query(request.Query);
            entry.SetQuery(query);
            var top = RequestLimits.Range(request.TopK, RequestLimits.DefaultTopK, RequestLimits.MaxTopK, "top_k");
            var mode = ProtoMapping.Mode(request.Mode, "mode");
            var (searchRequest, _) = await ScopeAsync(caller, query, request.Filters, mode, top, request.RawQuery, entry, ct);
            searchRequest = searchRequest with { Files = request.Files };
            var clock = Stopwatch.StartNew();
            var result = await SearchAsync(searchRequest, ct);
            var queryId = NewQueryId();
            var response = new V1.SearchResponse
            {
                QueryId = queryId,
                Mode = ProtoMapping.Mode(result.Mode),
                Latency = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(clock.Elapsed),
            };
            response.Hits.AddRange(result.Hits.Select(ProtoMapping.Hit));
            response.Files.AddRange((result.Files ?? []).Select(ProtoMapping.File));
            Finish(entry, result.Hits);
            await LogQueryAsync("Search", queryId, query, searchRequest, result.Mode, result.Hits, clock.Elapsed, caller);
            return response;
        });

    public override Task<V1.GetSymbolNeighborsResponse> GetSymbolNeighbors(V1.GetSymbolNeighborsRequest request, ServerCallContext context)
        => RunAsync("GetSymbolNeighbors", context, async (caller, entry, ct) =>
        {
            var symbol = request.Symbol ?? throw RequestLimits.Invalid("symbol", "is required");
            var depth = RequestLimits.Range(request.Depth, RequestLimits.DefaultDepth, RequestLimits.MaxDepth, "depth");
            var perRelation = RequestLimits.Range(request.MaxPerRelation, RequestLimits.DefaultMaxPerRelation, RequestLimits.MaxMaxPerRelation, "max_per_relation");
            var relations = ProtoMapping.Relations(request.Relations, "relations");
            var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
            var repository = ReadableSymbolRepository(readable, symbol, entry);
            var query = new NeighborQuery(relations, perRelation, searchOptions.Value.Graph.MaxCandidatesPerName, readable.Allowed, depth);
            var neighbors = await graph.GetNeighborsAsync([new SymbolKey(repository, symbol.Path, symbol.Symbol)], query, ct);
            var response = new V1.GetSymbolNeighborsResponse();
            response.Neighbors.AddRange(neighbors.Select(n => new V1.SymbolNeighbor
            {
                From = new V1.SymbolRef { Repository = n.From.Repository, Path = n.From.Path, Symbol = n.From.QualifiedName },
                Relation = ProtoMapping.Relation(n.Relation),
                Neighbor = new V1.SymbolRef { Repository = n.Neighbor.Repository, Path = n.Neighbor.Path, Symbol = n.Neighbor.QualifiedName },
                Kind = ProtoMapping.Camel(n.Kind.ToString()),
                StartLine = n.StartLine,
                EndLine = n.EndLine,
                Depth = n.Depth,
            }));
            entry.ResultCount = response.Neighbors.Count;
            return response;
        });

    public override Task<V1.GetSymbolCodeResponse> GetSymbolCode(V1.GetSymbolCodeRequest request, ServerCallContext context)
        => RunAsync("GetSymbolCode", context, async (caller, entry, ct) =>
        {
            var symbol = request.Symbol ?? throw RequestLimits.Invalid("symbol", "is required");
            var repository = await ReadableSymbolRepositoryAsync(caller, symbol, entry, ct);
            var records = await chunks.GetSymbolChunksAsync(repository, symbol.Path, symbol.Symbol, ct);
            var response = new V1.GetSymbolCodeResponse();
            response.Chunks.AddRange(records.OrderBy(r => r.StartLine).ThenBy(r => r.EndLine).Select(ProtoMapping.Chunk));
            entry.ResultCount = response.Chunks.Count;
            return response;
        });

    public override Task<V1.GetContextResponse> GetContext(V1.GetContextRequest request, ServerCallContext context)
        => RunAsync("GetContext", context, async (caller, entry, ct) =>
        {
            var query = RequestLimits.Query(request.Query);
            entry.SetQuery(query);
            var budget = RequestLimits.Range(request.TokenBudget, RequestLimits.DefaultTokenBudget, RequestLimits.MaxTokenBudget, "token_budget");
            var mode = ProtoMapping.Mode(request.Mode, "mode");
            var (searchRequest, _) = await ScopeAsync(caller, query, request.Filters, mode, ContextSearchTop, rawQuery: false, entry, ct);
            var clock = Stopwatch.StartNew();
            var packed = await SearchGrainCallAsync(grain => grain.GetContextAsync(new Abs.ContextRequest(searchRequest, budget), ct));
            var queryId = NewQueryId();
            var response = new V1.GetContextResponse { QueryId = queryId, Context = packed.Text, Tokens = packed.Tokens };
            response.Hits.AddRange(packed.Packed.Select(ProtoMapping.Hit));
            Finish(entry, packed.Packed);
            await LogQueryAsync("GetContext", queryId, query, searchRequest, packed.Search.Mode, packed.Packed, clock.Elapsed, caller);
            return response;
        });

    public override Task<V1.FeedbackResponse> Feedback(V1.FeedbackRequest request, ServerCallContext context)
        => RunAsync("Feedback", context, async (caller, entry, ct) =>
        {
            var queryId = RequestLimits.Optional(request.QueryId, 64, "query_id") ?? throw RequestLimits.Invalid("query_id", "is empty");
            var resultId = RequestLimits.Optional(request.ResultId, RequestLimits.MaxNameLength, "result_id") ?? throw RequestLimits.Invalid("result_id", "is empty");
            var vote = request.Vote switch
            {
                V1.Vote.Up => FeedbackRecord.Up,
                V1.Vote.Down => FeedbackRecord.Down,
                _ => throw RequestLimits.Invalid("vote", "must be VOTE_UP or VOTE_DOWN"),
            };
            var comment = RequestLimits.Optional(request.Comment, RequestLimits.MaxCommentLength, "comment");
            var results = await queryLog.FindQueryAsync(queryId, ct) ?? throw RequestLimits.NotFound($"query_id '{queryId}' not found");
            if (!results.Contains(resultId))
            {
                throw RequestLimits.Invalid("result_id", $"'{resultId}' is not one of the results of query '{queryId}'");
            }

            await queryLog.AppendFeedbackAsync(new FeedbackRecord(queryId, resultId, vote, comment, time.GetUtcNow(), caller.Principal));
            entry.ResultCount = 1;
            return new V1.FeedbackResponse();
        });

    public override Task ExportFeedback(V1.ExportFeedbackRequest request, IServerStreamWriter<V1.TrainingTriple> responseStream, ServerCallContext context)
        => RunAsync("ExportFeedback", context, async (caller, entry, ct) =>
        {
            if (!caller.IsAdmin)
            {
                // CGR: triples carry other callers' queries (and with texts, code from every repository): admins only.
                throw new RpcException(new Status(StatusCode.PermissionDenied, "exporting feedback needs the admin group"));
            }

            var triples = await new TrainingTripletExporter().ReadAsync(queryLog.Directory, request.IncludeTexts ? chunks : null, ct);
            foreach (var t in triples)
            {
                await responseStream.WriteAsync(new V1.TrainingTriple
                {
                    QueryId = t.QueryId,
                    Query = t.Query,
                    PositiveId = t.PositiveId,
                    PositiveRank = t.PositiveRank,
                    NegativeId = t.NegativeId,
                    NegativeRank = t.NegativeRank,
                    PositiveText = t.PositiveText ?? string.Empty,
                    NegativeText = t.NegativeText ?? string.Empty,
                }, ct);
            }

            entry.ResultCount = triples.Count;
            return true;
        });

    private static StatusCode FailureCode(RepositoryInfo info, SyncProgress failed)
    {
        if (failed.ErrorCode == SyncErrorCodes.EmbedderUnavailable)
        {
            return StatusCode.Unavailable;
        }

        if (failed.ErrorCode == SyncErrorCodes.EmbeddingModelMismatch)
        {
            return StatusCode.FailedPrecondition;
        }

        return !RepositorySyncs.IsGitSource(info.Source) && !Directory.Exists(info.Source) ? StatusCode.FailedPrecondition : StatusCode.Internal;
    }

    /// <summary>For an admin operation on one repository: checks the caller, validates and audits the name, and fails with NotFound for an unknown one.</summary>
    private async Task<string> AdminRepositoryAsync(Caller caller, string repository, AuditEntry entry, CancellationToken ct)
    {
        RequireAdmin(caller);
        var name = RequestLimits.RepositoryName(repository, "repository");
        entry.Repositories.Add(name);
        _ = await catalog.GetRepositoryAsync(name, ct) ?? throw RequestLimits.NotFound($"repository '{name}' not found");
        return name;
    }

    /// <summary>The progress with the repository's server path removed from its error text (for callers who are not administrators).</summary>
    private static SyncProgress WithoutServerPath(SyncProgress progress, RepositoryInfo info)
        => progress.Error is { } error && !RepositorySyncs.IsGitSource(info.Source) && error.Contains(info.Source, StringComparison.Ordinal)
            ? progress with { Error = error.Replace(info.Source, "<server path>", StringComparison.Ordinal) }
            : progress;

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "registering, syncing and removing repositories needs the admin group"));
        }
    }

    private static void Finish(AuditEntry entry, IReadOnlyList<Abs.SearchHit> hits)
    {
        if (entry.Repositories.Count == 0)
        {
            entry.Repositories.AddRange(hits.Select(h => h.Repository).Distinct(StringComparer.Ordinal));
        }

        entry.ResultCount = hits.Count;
    }

    private string NewQueryId() => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");

    private async Task<(Abs.SearchRequest Request, ReadableRepositories Readable)> ScopeAsync(
        Caller caller, string query, V1.SearchFilters? filters, Abs.SearchMode mode, int top, bool rawQuery, AuditEntry entry, CancellationToken ct)
    {
        var repositories = RequestLimits.Names(filters?.Repositories ?? [], "filters.repositories");
        var languages = filters?.Languages ?? [];
        if (languages.Count > RequestLimits.MaxListLength || languages.Any(l => l.Length is 0 or > 64))
        {
            throw RequestLimits.Invalid("filters.languages", $"at most {RequestLimits.MaxListLength} language ids of 1..64 characters");
        }

        var glob = RequestLimits.Optional(filters?.PathGlob, MaxPathLength, "filters.path_glob");
        var classes = FileClassList(filters?.FileClasses, "filters.file_classes");
        var excluded = FileClassList(filters?.ExcludedFileClasses, "filters.excluded_file_classes");
        var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
        foreach (var name in repositories)
        {
            if (readable.Find(name) is null)
            {
                throw RequestLimits.NotFound($"repository '{name}' not found");
            }
        }

        entry.Repositories.AddRange(repositories);
        var request = new Abs.SearchRequest(query, repositories.Count > 0 ? [.. repositories] : null, languages.Count > 0 ? [.. languages] : null,
            glob, mode, top, ParseInlineFilters: !rawQuery, AllowedRepositories: readable.Allowed, ShowRawScores: readable.CoversAll,
            Classes: classes, ExcludedClasses: excluded);
        return (request, readable);
    }

    private static List<FileClass>? FileClassList(IReadOnlyList<string>? names, string field)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }

        var result = new List<FileClass>(names.Count);
        foreach (var name in names)
        {
            if (!FileClasses.TryParse(name, out var value))
            {
                throw RequestLimits.Invalid(field, $"file classes among {string.Join(", ", FileClasses.AllNames)}");
            }

            result.Add(value);
        }

        return result;
    }

    private Task<Abs.SearchResponse> SearchAsync(Abs.SearchRequest request, CancellationToken ct)
        => SearchGrainCallAsync(grain => grain.SearchAsync(request, ct));

    private async Task<T> SearchGrainCallAsync<T>(Func<ISearchGrain, Task<T>> call)
    {
        try
        {
            return await call(grains.GetGrain<ISearchGrain>(0));
        }
        catch (ArgumentException ex)
        {
            // The query's inline filters did not parse.
            throw RequestLimits.Invalid("query", ex.Message);
        }
    }

    private async Task LogQueryAsync(string operation, string queryId, string query, Abs.SearchRequest request, Abs.SearchMode mode,
        IReadOnlyList<Abs.SearchHit> hits, TimeSpan elapsed, Caller caller)
    {
        telemetry.RecordQuery(ProtoMapping.Camel(mode.ToString()), elapsed);
        var record = new QueryLogRecord(queryId, time.GetUtcNow(), operation, query, request.Repositories, request.Languages, request.PathGlob,
            ProtoMapping.Camel(mode.ToString()),
            [.. hits.Select(h => new QueryLogHit(h.Rank, h.ChunkId, h.Repository, h.Path, h.Score, h.Scores))],
            elapsed.TotalMilliseconds, caller.Principal);
        try
        {
            await queryLog.AppendQueryAsync(record);
        }
        catch (IOException ex)
        {
            // CGR: the answer is computed; a full disk must not turn it into an error, but Feedback on it will say NOT_FOUND.
            LogQueryLogFailed(logger, ex);
        }
    }

    /// <summary>Validates a symbol reference and returns its repository, which the caller must be able to read (else NOT_FOUND).</summary>
    private static string ReadableSymbolRepository(ReadableRepositories readable, V1.SymbolRef symbol, AuditEntry entry)
    {
        var repository = RequestLimits.RepositoryName(symbol.Repository, "symbol.repository");
        if (string.IsNullOrWhiteSpace(symbol.Path))
        {
            throw RequestLimits.Invalid("symbol.path", "is empty");
        }

        RequestLimits.Optional(symbol.Path, MaxPathLength, "symbol.path");
        RequestLimits.Optional(symbol.Symbol, RequestLimits.MaxQueryLength, "symbol.symbol");
        entry.Repositories.Add(repository);
        _ = readable.Find(repository) ?? throw RequestLimits.NotFound($"repository '{repository}' not found");
        return repository;
    }

    private async Task<string> ReadableSymbolRepositoryAsync(Caller caller, V1.SymbolRef symbol, AuditEntry entry, CancellationToken ct)
        => ReadableSymbolRepository(await ReadableRepositories.LoadAsync(catalog, caller, ct), symbol, entry);

    private async Task<T> RunAsync<T>(string operation, ServerCallContext context, Func<Caller, AuditEntry, CancellationToken, Task<T>> body)
    {
        var clock = Stopwatch.StartNew();
        var entry = new AuditEntry(operation);
        using var activity = CodeGraphRagTelemetry.Source.StartActivity("cgr." + operation);
        var status = StatusCode.OK;
        try
        {
            var caller = callers.Resolve(context);
            entry.Principal = caller.Principal;
            return await body(caller, entry, context.CancellationToken);
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            status = context.Deadline <= time.GetUtcNow().UtcDateTime ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;
            throw new RpcException(new Status(status, status == StatusCode.DeadlineExceeded ? "deadline exceeded" : "cancelled by the caller"));
        }
        catch (Exception ex) when (ClusterFaults.IsUnavailable(ex))
        {
            // CGR: a silo this call needs died and membership has not declared it dead yet (or no silo of the needed role
            // is up): transient, so UNAVAILABLE, the status gRPC clients retry with backoff, rather than INTERNAL.
            status = StatusCode.Unavailable;
            LogSiloUnavailable(logger, operation, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"{operation}: a silo this call needs is unreachable; retry with backoff"));
        }
        catch (Exception ex)
        {
            var mapped = StoreFailures.Map(ex) ?? new Status(StatusCode.Internal, $"{operation} failed on the server; see its log");
            status = mapped.StatusCode;
            LogRpcFailed(logger, operation, ex);
            throw new RpcException(mapped);
        }
        finally
        {
            activity?.SetTag("rpc.grpc.status_code", (int)status);
            telemetry.RecordRpc(operation, status.ToString());
            audit.Write(entry, status.ToString(), clock.Elapsed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} failed")]
    private static partial void LogRpcFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} answered UNAVAILABLE: {Reason}")]
    private static partial void LogSiloUnavailable(ILogger logger, string operation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not append to the query log")]
    private static partial void LogQueryLogFailed(ILogger logger, Exception exception);
}
