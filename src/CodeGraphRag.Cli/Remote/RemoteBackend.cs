using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Api.Services;
using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Hosting;
using Grpc.Core;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Remote;

/// <summary>
/// A CodeGraphRag server over gRPC (<c>--server</c>) as the commands' backend, and the conversions between the
/// codegraphrag.v1 messages and the product's types that every remote command (eval and bench included) shares.
/// </summary>
internal sealed class RemoteBackend(RemoteConnection connection) : ICliBackend
{
    /// <summary>The connection (for the commands that only run against a server: index, cancel, export-feedback).</summary>
    public RemoteConnection Connection => connection;

    /// <summary>Connects to <paramref name="server"/> with the credentials in <paramref name="args"/>.</summary>
    public static RemoteBackend Open(string server, ParsedArgs args) => new(RemoteConnection.Open(server, args));

    public string NothingIndexedHint => "no repositories indexed; run 'cgr index <path or git URL> --server ...'";

    public Task WriteStatusHeaderAsync(TextWriter stdout, bool check, CancellationToken cancellationToken)
    {
        stdout.WriteLine($"server: {connection.Address}");
        return Task.CompletedTask;
    }

    /// <summary>The server says NOT_FOUND for a name the caller cannot read; nothing to check here.</summary>
    public Task<IReadOnlyList<string>> CheckRepositoriesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) => Task.FromResult(names);

    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var message = new V1.SearchRequest { Query = request.Query, TopK = request.Top, Mode = ToMode(request.Mode), Filters = Filters(request), Files = request.Files };
        return ToResponse(request.Query, await connection.Client.SearchAsync(message, connection.Call(cancellationToken)));
    });

    public Task<ContextAnswer> GetContextAsync(ContextRequest request, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var message = new V1.GetContextRequest
        {
            Query = request.Search.Query,
            TokenBudget = request.TokenBudget,
            Mode = ToMode(request.Search.Mode),
            Filters = Filters(request.Search),
        };
        var response = await connection.Client.GetContextAsync(message, connection.Call(cancellationToken));
        return new ContextAnswer(response.Context, response.Hits.Count, null, null, response.Tokens);
    });

    public Task<IReadOnlyList<RepositoryListing>> ListRepositoriesAsync(CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var response = await connection.Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), connection.Call(cancellationToken));
        return (IReadOnlyList<RepositoryListing>)[.. response.Repositories.Select(r => new RepositoryListing(r.Name, r.Source, r.LastSyncCompleted?.ToDateTimeOffset()))];
    });

    public Task<RepositoryReport> GetStatusAsync(string repository, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var status = await connection.Client.StatusAsync(new V1.StatusRequest { Repository = repository }, connection.Call(cancellationToken));
        var repo = status.Repository;
        return new RepositoryReport(
            repo.Name, repo.Source, repo.Revision is { Length: > 0 } revision ? revision : null,
            repo.LastSyncStarted?.ToDateTimeOffset(), repo.LastSyncCompleted?.ToDateTimeOffset(),
            Count(status.FilesByStatus, "indexed"), Count(status.FilesByStatus, "skipped"), Count(status.FilesByStatus, "failed"),
            status.SkippedByReason.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            status.FilesByLanguage.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            status.Chunks, status.Symbols, status.References,
            [.. status.FailedFiles.Select(f => new KeyValuePair<string, string>(f.Path, f.Reason))], status.ChunksAwaitingVectors);
    });

    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken) => CallAsync(async () =>
    {
        await connection.Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = repository }, connection.Call(cancellationToken));
        return true;
    });

    public Task<IReadOnlyList<SiloReport>> GetClusterAsync(CancellationToken cancellationToken) => CallAsync(async () =>
    {
        var response = await connection.Client.ClusterStatusAsync(new V1.ClusterStatusRequest(), connection.Call(cancellationToken));
        return (IReadOnlyList<SiloReport>)[.. response.Silos.Select(s => new SiloReport(
            s.Address, s.Name, s.Status, s.Started?.ToDateTimeOffset() ?? DateTimeOffset.MinValue,
            s.Roles.Count == 0 ? SiloRoles.None : SiloRolesParser.Parse(string.Join(',', s.Roles)),
            new SortedDictionary<string, long>(s.Activations, StringComparer.Ordinal)))];
    });

    public ValueTask DisposeAsync()
    {
        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs a call, turning the server's status into the command's one line (<see cref="Describe"/>).</summary>
    public async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            throw Describe(ex, connection.Address);
        }
    }

    /// <summary>One line for a failed call: what the server said, and what to do for the common causes.</summary>
    internal static CliException Describe(RpcException ex, Uri server)
    {
        var detail = string.IsNullOrWhiteSpace(ex.Status.Detail) ? ex.StatusCode.ToString() : ex.Status.Detail;
        return ex.StatusCode switch
        {
            StatusCode.Unavailable when ex.Status.DebugException is not null || detail.Contains("Error starting gRPC call", StringComparison.Ordinal) =>
                new CliException($"cannot reach the server at {server}: {ex.Status.DebugException?.Message ?? detail}"),
            StatusCode.Unauthenticated => new CliException($"the server at {server} rejected the credentials: {detail} (give --api-key or --token, or set CGR_API_KEY / CGR_TOKEN)"),
            StatusCode.PermissionDenied => new CliException($"not allowed: {detail}"),
            StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => new CliException(detail, 2),
            StatusCode.DeadlineExceeded => new CliException($"the server did not answer in time: {detail}"),
            _ => new CliException($"server error ({ex.StatusCode}): {detail}"),
        };
    }

    /// <summary>Runs the Sync RPC to its end, rendering progress; returns the last progress (a failed sync throws the server's status).</summary>
    internal static async Task<SyncProgress> FollowSyncAsync(RemoteConnection connection, string repository, string? revision, ProgressRenderer renderer, CancellationToken cancellationToken)
    {
        var last = new SyncProgress { Phase = SyncPhase.Scanning };
        using var call = connection.Client.Sync(new V1.SyncRequest { Repository = repository, Revision = revision ?? string.Empty }, connection.Call(cancellationToken));
        await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            last = ToProgress(update);
            renderer.Update(last);
        }

        renderer.Done(last);
        return last;
    }

    private static V1.SearchFilters Filters(SearchRequest request)
    {
        var filters = new V1.SearchFilters { PathGlob = request.PathGlob ?? string.Empty };
        filters.Repositories.AddRange(request.Repositories ?? []);
        filters.Languages.AddRange(request.Languages ?? []);
        return filters;
    }

    internal static V1.SearchMode ToMode(Abstractions.Search.SearchMode mode) => ProtoModes.ToProto(mode);

    internal static Abstractions.Search.SearchResponse ToResponse(string query, V1.SearchResponse response) => new(
        query,
        ProtoModes.FromProto(response.Mode) ?? Abstractions.Search.SearchMode.HybridGraph,
        [.. response.Hits.Select(FromHit)],
        response.Latency?.ToTimeSpan() ?? TimeSpan.Zero,
        response.Files.Count == 0 ? null : [.. response.Files.Select(f => new Abstractions.Search.FileHit(
            f.Rank, f.Repository, f.Path, f.Language, Abstractions.Storage.FileClasses.ParseStored(f.FileClass), f.Score,
            f.Scores.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), [.. f.Chunks.Select(FromHit)]))]);

    private static Abstractions.Search.SearchHit FromHit(V1.SearchHit h) => new(
        h.Rank, h.ChunkId, h.Repository, h.Path, h.StartLine, h.EndLine, h.Symbol, ParseKind(h.Kind), h.Language, h.Score,
        h.Scores.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), h.Text,
        [.. h.Related.Select(r => new Abstractions.Search.RelatedCode(ProtoRelations.ToGraphRelation(r.Relation), r.Repository, r.Path, r.Symbol, r.StartLine, r.EndLine))],
        Abstractions.Storage.FileClasses.ParseStored(h.FileClass));

    private static ChunkKind ParseKind(string kind) =>
        Enum.TryParse<ChunkKind>(kind.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var parsed)
            ? parsed
            : ChunkKind.TopLevel;

    internal static SyncProgress ToProgress(V1.SyncProgress p) => new()
    {
        Phase = p.Phase switch
        {
            V1.SyncPhase.Scanning => SyncPhase.Scanning,
            V1.SyncPhase.Indexing => SyncPhase.Processing,
            V1.SyncPhase.Removing => SyncPhase.Removing,
            V1.SyncPhase.Completed => SyncPhase.Completed,
            V1.SyncPhase.Failed => SyncPhase.Failed,
            V1.SyncPhase.Cancelled => SyncPhase.Cancelled,
            V1.SyncPhase.WaitingForEmbedder => SyncPhase.WaitingForEmbedder,
            V1.SyncPhase.Embedding => SyncPhase.Embedding,
            _ => SyncPhase.Idle,
        },
        FilesTotal = p.FilesTotal,
        FilesToProcess = p.FilesToProcess,
        FilesProcessed = p.FilesProcessed,
        FilesIndexed = p.FilesIndexed,
        FilesUnchanged = p.FilesUnchanged,
        FilesDeleted = p.FilesDeleted,
        FilesFailed = p.FilesFailed,
        SkippedByReason = p.SkippedByReason.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        ChunksWritten = p.ChunksWritten,
        ChunksEmbedded = p.ChunksEmbedded,
        Elapsed = p.Elapsed?.ToTimeSpan() ?? TimeSpan.Zero,
        Error = string.IsNullOrEmpty(p.Error) ? null : p.Error,
        SecretsRedacted = p.SecretsRedacted,
        BytesProcessed = p.BytesProcessed,
        ChunksAwaitingVectors = p.ChunksAwaitingVectors,
        SearchableAfter = p.SearchableAfter?.ToTimeSpan(),
    };

    private static int Count(Google.Protobuf.Collections.MapField<string, int> map, string key) =>
        map.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
