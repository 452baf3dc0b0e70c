using System.Diagnostics;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.QueryLog;
using Grpc.Core;
using Abs = CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Api.Services;

/// <summary>Search and context: ranked hits with graph context, and the same packed into a token budget.</summary>
internal sealed partial class CodeGraphRagService
{
    public override async Task<V1.SearchResponse> Search(V1.SearchRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
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
    }

    public override async Task<V1.GetContextResponse> GetContext(V1.GetContextRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not append to the query log")]
    private static partial void LogQueryLogFailed(ILogger logger, Exception exception);
}
