using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Auth;
using CodeGraphRag.Api.Repositories;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>Repositories and sync: register, sync (streamed progress), cancel, status, list, remove.</summary>
internal sealed partial class CodeGraphRagService
{
    public override async Task<V1.Repository> RegisterRepository(V1.RegisterRepositoryRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        RequireAdmin(caller);
        var (info, branch) = await registration.RegisterAsync(
            request.SourceCase == V1.RegisterRepositoryRequest.SourceOneofCase.LocalPath ? request.LocalPath : null,
            request.SourceCase == V1.RegisterRepositoryRequest.SourceOneofCase.GitUrl ? request.GitUrl : null,
            request.Name, request.Branch, request.ReadGroups, RegistrationFields.Grpc, ct);
        entry.Repositories.Add(info.Name);
        entry.ResultCount = 1;
        return ProtoMapping.Repository(info, branch, showServerPath: true);
    }

    public override async Task Sync(V1.SyncRequest request, IServerStreamWriter<V1.SyncProgress> responseStream, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
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
    }

    public override async Task<V1.CancelSyncResponse> CancelSync(V1.CancelSyncRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
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
    }

    public override async Task<V1.StatusResponse> Status(V1.StatusRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
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
            ChunksAwaitingVectors = stats.ChunksAwaitingVectors,
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
    }

    public override async Task<V1.ListRepositoriesResponse> ListRepositories(V1.ListRepositoriesRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        var readable = await ReadableRepositories.LoadAsync(catalog, caller, ct);
        var branches = await sources.GetAllAsync(ct);
        var response = new V1.ListRepositoriesResponse();
        response.Repositories.AddRange(readable.All.Select(r => ProtoMapping.Repository(r, branches.GetValueOrDefault(r.Name), caller.IsAdmin)));
        entry.ResultCount = response.Repositories.Count;
        return response;
    }

    public override async Task<V1.RemoveRepositoryResponse> RemoveRepository(V1.RemoveRepositoryRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        var name = await AdminRepositoryAsync(caller, request.Repository, entry, ct);
        await grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name)).RemoveAsync();
        await sources.SetBranchAsync(name, null, ct);
        entry.ResultCount = 1;
        return new V1.RemoveRepositoryResponse();
    }

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

    private static void RequireAdmin(Caller caller, string what = "registering, syncing and removing repositories")
    {
        if (!caller.IsAdmin)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{what} needs the admin group"));
        }
    }
}
