using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Cli.Remote;
using CodeGraphRag.Sources;
using Microsoft.Extensions.DependencyInjection;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Commands;

/// <summary>Where <c>cgr index</c> reports to: whether its output is a terminal, and the folder a relative path is relative to.</summary>
/// <param name="Terminal">Output is a terminal: one live progress line instead of plain lines.</param>
/// <param name="WorkingDirectory">The folder relative paths are relative to (null: this process's).</param>
internal sealed record IndexConsole(bool Terminal, string? WorkingDirectory)
{
    /// <summary>This process's console, for output written to <paramref name="stdout"/>.</summary>
    public static IndexConsole ThisProcess(TextWriter stdout) => new(ProgressRenderer.IsTerminal(stdout), null);
}

/// <summary><c>cgr index &lt;path&gt; [--name &lt;repo&gt;] [--replace] [--rev &lt;commit&gt;] [--watch]</c>.</summary>
internal static class IndexCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "name", "rev" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "watch", "plain", "replace" };

    public static Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
        => RunAsync(args, stdout, IndexConsole.ThisProcess(stdout), cancellationToken);

    /// <summary>Runs the command for <paramref name="console"/>: this process's, or a client's of the background server.</summary>
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, IndexConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var source = Path.GetFullPath(args.Single("path to index"), console.WorkingDirectory ?? Environment.CurrentDirectory);
        if (!Directory.Exists(source))
        {
            throw new CliException($"cannot index '{source}': no such directory");
        }

        var explicitName = args.Value("name");
        if (explicitName is not null && (string.IsNullOrWhiteSpace(explicitName) || explicitName.Contains('\u001f', StringComparison.Ordinal)))
        {
            throw CliException.Usage($"--name '{explicitName}' is not a valid repository name");
        }

        var request = new SyncRequest(source, args.Value("rev"));
        await using var session = await EmbeddedSession.StartAsync(args, readOnly: false, cancellationToken);
        var name = await NameForAsync(session.Services.GetRequiredService<IRepositoryCatalog>(), source, explicitName, args.Flag("replace"), cancellationToken);
        var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name));
        var renderer = ProgressRenderer.Of(stdout, live: console.Terminal && !args.Flag("plain"));
        var result = await SyncOnceAsync(grain, request, renderer, cancellationToken);
        renderer.Summary(name, result);
        if (result.Phase != SyncPhase.Completed)
        {
            return result.Phase == SyncPhase.Cancelled ? 130 : 1;
        }

        if (args.Flag("watch"))
        {
            await WatchAsync(source, grain, request, renderer, name, cancellationToken);
        }

        return 0;
    }

    /// <summary>
    /// The repository name for <paramref name="source"/>. A name stays bound to the folder it was first indexed from:
    /// another folder under a taken name is refused (unless <paramref name="replace"/>), and without <c>--name</c> the
    /// default, the folder's name, becomes <c>parent/folder</c> when another folder holds it.
    /// </summary>
    internal static async Task<string> NameForAsync(IRepositoryCatalog catalog, string source, string? explicitName, bool replace, CancellationToken cancellationToken)
    {
        async Task<string?> BoundElsewhere(string candidate)
        {
            var existing = await catalog.GetRepositoryAsync(candidate, cancellationToken);
            return existing is null || SameFolder(existing.Source, source) ? null : existing.Source;
        }

        if (explicitName is not null)
        {
            if (!replace && await BoundElsewhere(explicitName) is { } other)
            {
                throw new CliException($"repository '{explicitName}' is already indexed from '{other}'; index '{source}' under another name "
                    + "(--name <name>) or replace it (--replace deletes the old folder's index)");
            }

            return explicitName;
        }

        var folder = new DirectoryInfo(source);
        var name = folder.Name;
        if (replace || await BoundElsewhere(name) is null)
        {
            return name;
        }

        var qualified = folder.Parent is { } parent && parent.Name != folder.Root.Name ? parent.Name + "/" + folder.Name : null;
        if (qualified is not null && await BoundElsewhere(qualified) is null)
        {
            return qualified;
        }

        throw new CliException($"repository '{name}'{(qualified is null ? string.Empty : $" and '{qualified}'")} already indexed from other folders; "
            + "index this one under a name of its own (--name <name>) or replace one (--name <name> --replace)");
    }

    private static bool SameFolder(string a, string b)
        => string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts a sync and follows it to the end; Ctrl-C cancels it between files.</summary>
    internal static async Task<SyncProgress> SyncOnceAsync(IRepositoryGrain grain, SyncRequest request, ProgressRenderer renderer, CancellationToken cancellationToken)
    {
        var progress = await FollowSyncAsync(grain, request, renderer.Update, cancellationToken);
        renderer.Done(progress);
        return progress;
    }

    /// <summary>
    /// Starts a sync and polls it to the end, passing each poll to <paramref name="update"/>. Cancellation asks the sync
    /// to stop between files (the next sync resumes) and then ends the wait with <see cref="OperationCanceledException"/>.
    /// </summary>
    internal static async Task<SyncProgress> FollowSyncAsync(IRepositoryGrain grain, SyncRequest request, Action<SyncProgress> update, CancellationToken cancellationToken)
    {
        var progress = await grain.StartSyncAsync(request);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(150));
        var cancelled = false;
        while (!progress.IsFinished)
        {
            try
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!cancelled)
            {
                cancelled = true;
                await grain.CancelAsync();
            }

            progress = await grain.GetProgressAsync();
            update(progress);
        }

        // Also when the sync stopped before the next tick (a sync waiting on the embedder stops at once).
        if (cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return progress;
    }

    private static async Task WatchAsync(string source, IRepositoryGrain grain, SyncRequest request, ProgressRenderer renderer, string name, CancellationToken cancellationToken)
    {
        using var watcher = new FileSystemWatcher(source) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        var changed = new SemaphoreSlim(0);
        void OnChange(object? sender, FileSystemEventArgs e)
        {
            if (!e.FullPath.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                changed.Release();
            }
        }

        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += (s, e) => OnChange(s, e);
        watcher.EnableRaisingEvents = true;
        renderer.Message($"watching {source} for changes (Ctrl-C to stop)");
        try
        {
            while (true)
            {
                await changed.WaitAsync(cancellationToken);
                // Debounce: an editor save or a checkout is a burst of events; sync once it goes quiet.
                while (await changed.WaitAsync(TimeSpan.FromMilliseconds(300), cancellationToken))
                {
                }

                var result = await SyncOnceAsync(grain, request, renderer, cancellationToken);
                renderer.Summary(name, result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// <c>cgr index &lt;server path or git URL&gt; --server ...</c>: registers the repository on the server and follows its
    /// sync; <c>--cancel</c> stops a running one.
    /// </summary>
    public static Task<int> RunRemoteAsync(ParsedArgs args, RemoteBackend backend, TextWriter stdout, CancellationToken cancellationToken)
        => backend.CallAsync(() => RemoteIndexAsync(backend.Connection, args, stdout, cancellationToken));

    private static async Task<int> RemoteIndexAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (args.Flag("watch"))
        {
            throw CliException.Usage("--watch works in embedded mode; with --server, register a push webhook (see docs/deployment.md)");
        }

        if (args.Flag("cancel"))
        {
            return await CancelSyncAsync(connection, args.Single("repository name"), stdout, cancellationToken);
        }

        var source = args.Single("path or git URL to index");
        var request = new V1.RegisterRepositoryRequest { Branch = args.Value("branch") ?? string.Empty };
        if (GitMirror.IsRemote(source))
        {
            request.GitUrl = source;
            request.Name = args.Value("name") ?? string.Empty;
        }
        else
        {
            // CGR: the server reads the path; a relative path means the client's working directory, which only helps when both
            // run on one host. A path the server cannot read comes back as INVALID_ARGUMENT/FAILED_PRECONDITION, shown as is.
            request.LocalPath = Path.GetFullPath(source);
            request.Name = args.Value("name") ?? new DirectoryInfo(request.LocalPath).Name;
        }

        foreach (var group in args.Values("read-groups").SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            request.ReadGroups.Add(group);
        }

        var repository = await connection.Client.RegisterRepositoryAsync(request, connection.Call(cancellationToken));
        var renderer = ProgressRenderer.Create(stdout, args.Flag("plain"));
        var last = await RemoteBackend.FollowSyncAsync(connection, repository.Name, args.Value("rev"), renderer, cancellationToken);
        renderer.Summary(repository.Name, last);
        return last.Phase switch
        {
            SyncPhase.Completed => 0,
            SyncPhase.Cancelled => 130,
            _ => 1,
        };
    }

    /// <summary><c>cgr index &lt;repo&gt; --cancel --server ...</c>: stops the running sync; the next index resumes it.</summary>
    private static async Task<int> CancelSyncAsync(RemoteConnection connection, string repository, TextWriter stdout, CancellationToken cancellationToken)
    {
        var response = await connection.Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = repository }, connection.Call(cancellationToken));
        var progress = RemoteBackend.ToProgress(response.Progress ?? new V1.SyncProgress());
        stdout.WriteLine(response.Cancelled
            ? string.Create(CultureInfo.InvariantCulture,
                $"cancelled the sync of {repository} after {progress.FilesProcessed} of {progress.FilesToProcess} files; 'cgr index' resumes it")
            : $"no sync of {repository} was running (last: {progress.Phase.ToString().ToLowerInvariant()})");
        return 0;
    }
}
