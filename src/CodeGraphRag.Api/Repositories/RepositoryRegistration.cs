using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Services;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Sources;
using Grpc.Core;

namespace CodeGraphRag.Api.Repositories;

/// <summary>
/// Registering a repository (a server folder or a git URL) and checking server folders against
/// <see cref="ServerOptions.AllowedRoots"/>: the rules of the RegisterRepository and Sync RPCs, shared with MCP's admin tools.
/// Failures are <see cref="RpcException"/>s (INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION) naming the field.
/// </summary>
internal sealed class RepositoryRegistration(IRepositoryCatalog catalog, RepositorySources sources, ServerOptions settings)
{
    /// <summary>Registers (or updates) a repository and returns it with its branch.</summary>
    /// <param name="localPath">An absolute server path, or null.</param>
    /// <param name="gitUrl">An https, ssh or git URL, or null (exactly one of the two).</param>
    /// <param name="requestedName">The name (null or blank: the folder's or URL's name).</param>
    /// <param name="requestedBranch">The branch of a git URL (null: the remote's default).</param>
    /// <param name="readGroups">Groups that may read it (empty: every authenticated caller).</param>
    /// <param name="fields">The request's field names for error messages: local path, git URL, name, branch, read groups.</param>
    /// <param name="cancellationToken">Cancels the catalog writes.</param>
    public async Task<(RepositoryInfo Info, string? Branch)> RegisterAsync(
        string? localPath, string? gitUrl, string? requestedName, string? requestedBranch, IReadOnlyList<string> readGroups,
        RegistrationFields fields, CancellationToken cancellationToken)
    {
        string source;
        string defaultName;
        if (localPath is not null && gitUrl is null)
        {
            source = localPath;
            if (!Path.IsPathFullyQualified(source))
            {
                throw RequestLimits.Invalid(fields.LocalPath, $"'{source}' is not an absolute path");
            }

            // CGR: the allowed roots are checked on the real path (no "..", links followed), and the real path is what
            // gets stored and read, so a link inside an allowed folder cannot lead the server elsewhere.
            source = AllowedServerPath(source, fields.LocalPath);
            if (!Directory.Exists(source))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"{fields.LocalPath}: '{source}' does not exist on the server (a path must be readable by the server; use {fields.GitUrl} for remote sources)"));
            }

            defaultName = new DirectoryInfo(source).Name;
        }
        else if (gitUrl is not null && localPath is null)
        {
            source = gitUrl.Trim();
            if (!GitUrls.IsValid(source))
            {
                throw RequestLimits.Invalid(fields.GitUrl, $"'{GitMirror.Redact(source)}' is not an https, ssh or git URL");
            }

            defaultName = GitUrls.DefaultName(source);
        }
        else
        {
            throw RequestLimits.Invalid(fields.Source, $"set {fields.LocalPath} or {fields.GitUrl}");
        }

        var name = RequestLimits.RepositoryName(string.IsNullOrWhiteSpace(requestedName) ? defaultName : requestedName, fields.Name);
        var branch = RequestLimits.Optional(requestedBranch, 256, fields.Branch);
        if (branch is not null && gitUrl is null)
        {
            throw RequestLimits.Invalid(fields.Branch, $"applies to {fields.GitUrl} sources only");
        }

        var groups = RequestLimits.Names(readGroups, fields.ReadGroups).Distinct(StringComparer.Ordinal).ToList();
        var existing = await catalog.GetRepositoryAsync(name, cancellationToken);
        var sameSource = existing is not null && existing.Source == source;
        var info = new RepositoryInfo(name, source, sameSource ? existing!.Revision : null, existing?.LastSyncStarted,
            sameSource ? existing!.LastSyncCompleted : null, groups);
        await catalog.UpsertRepositoryAsync(info, cancellationToken);
        await sources.SetBranchAsync(name, branch, cancellationToken);
        return (info, branch);
    }

    /// <summary>The real form of a server path inside <see cref="ServerOptions.AllowedRoots"/>, else PERMISSION_DENIED.</summary>
    public string AllowedServerPath(string path, string field)
    {
        string real;
        try
        {
            real = ServerPaths.RealPath(path);
        }
        catch (IOException ex)
        {
            throw RequestLimits.Invalid(field, ex.Message);
        }

        if (ServerPaths.IsUnder(real, settings.AllowedRoots))
        {
            return real;
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, settings.AllowedRoots.Count == 0
            ? $"{field}: this server indexes git URLs only; an administrator may allow server folders with CodeGraphRag:Server:AllowedRoots"
            : $"{field}: '{path}' is outside the folders this server may index (CodeGraphRag:Server:AllowedRoots)"));
    }
}

/// <summary>The names a registration request gives its fields (proto fields for gRPC, tool arguments for MCP).</summary>
internal sealed record RegistrationFields(string LocalPath, string GitUrl, string Source, string Name, string Branch, string ReadGroups)
{
    /// <summary>The RegisterRepository RPC's fields.</summary>
    public static RegistrationFields Grpc { get; } = new("local_path", "git_url", "source", "name", "branch", "read_groups");
}
