using System.ComponentModel;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Api.Services;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CodeGraphRag.Api.Mcp;

/// <content>The administrators' tools: index_repository and sync_repository, with progress notifications.</content>
internal sealed partial class CodeGraphRagTools
{
    [McpServerTool(Name = "index_repository", Title = "Index a repository (admin)", ReadOnly = false, Destructive = false, Idempotent = true,
        OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(SyncOutput))]
    [Description("""
        For administrators: registers a folder (or, on a server, a git URL) under a repository name and indexes it, reporting
        progress; indexing it again later only re-reads changed files. Other tools can search it once this returns.
        """)]
    public Task<CallToolResult> IndexRepositoryAsync(
        [Description("The folder to index, as an absolute path (cgr mcp also takes one relative to its working directory), or, on a server, an https/ssh git URL.")] string source,
        [Description("Repository name (default: the folder's or URL's name).")] string? name = null,
        [Description("Branch of a git URL (default: the remote's default branch).")] string? branch = null,
        [Description("On a server: groups allowed to read it, comma-separated (default: every authenticated caller).")] string? readGroups = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("index_repository", async entry =>
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                throw new McpException("source is empty: give a folder or a git URL");
            }

            return await SyncAsync(entry, new McpSyncRequest(null, source.Trim(), name, branch, List(readGroups) ?? [], null), progress, cancellationToken);
        });

    [McpServerTool(Name = "sync_repository", Title = "Sync a repository (admin)", ReadOnly = false, Destructive = false, Idempotent = true,
        OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(SyncOutput))]
    [Description("""
        For administrators: brings an indexed repository up to date with its source (only changed files are re-read,
        deleted files leave the index), reporting progress; joins a sync that is already running.
        """)]
    public Task<CallToolResult> SyncRepositoryAsync(
        [Description("The repository to sync (see list_repositories).")] string repo,
        [Description("A commit or ref to index instead of the branch head (git sources).")] string? revision = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
        => GuardAsync("sync_repository", async entry =>
        {
            if (string.IsNullOrWhiteSpace(repo))
            {
                throw new McpException("repo is empty");
            }

            entry.Repositories.Add(repo);
            return await SyncAsync(entry, new McpSyncRequest(repo.Trim(), null, null, null, [], string.IsNullOrWhiteSpace(revision) ? null : revision.Trim()),
                progress, cancellationToken);
        });

    private async Task<CallToolResult> SyncAsync(AuditEntry entry, McpSyncRequest request,
        IProgress<ProgressNotificationValue>? progress, CancellationToken cancellationToken)
    {
        entry.Principal = index.Principal;
        var (name, finished) = await index.SyncAsync(request, new SyncProgressReporter(progress), cancellationToken);
        if (!entry.Repositories.Contains(name))
        {
            entry.Repositories.Add(name);
        }

        entry.ResultCount = finished.FilesProcessed;
        if (finished.Phase != SyncPhase.Completed)
        {
            throw new McpException(finished.Phase == SyncPhase.Cancelled
                ? $"the sync of '{name}' was cancelled; files already indexed stay and the next sync resumes"
                : $"the sync of '{name}' failed: {finished.Error}");
        }

        var output = new SyncOutput(name, ProtoMapping.Camel(finished.Phase.ToString()), finished.FilesIndexed, finished.FilesUnchanged, finished.FilesDeleted,
            finished.FilesFailed, finished.ChunksWritten, finished.ChunksEmbedded, Math.Round(finished.Elapsed.TotalSeconds, 2));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{name}: synced in {output.Seconds:0.0}s; files: {output.FilesIndexed} indexed, {output.FilesUnchanged} unchanged, {output.FilesDeleted} deleted, {output.FilesFailed} failed; chunks: {output.ChunksWritten} written, {output.ChunksEmbedded} embedded");
        return Result(text, output);
    }

    /// <summary>Turns sync progress into MCP progress notifications: changed files processed of those to process.</summary>
    private sealed class SyncProgressReporter(IProgress<ProgressNotificationValue>? target) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => target?.Report(new ProgressNotificationValue
        {
            Progress = value.FilesProcessed,
            Total = value.FilesToProcess > 0 ? value.FilesToProcess : null,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"{ProtoMapping.Camel(value.Phase.ToString())}: {value.FilesProcessed}/{value.FilesToProcess} changed files of {value.FilesTotal}"),
        });
    }
}
