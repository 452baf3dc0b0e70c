using System.Runtime.InteropServices;
using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Cli.Daemon;
using CodeGraphRag.Cli.Remote;

namespace CodeGraphRag.Cli;

/// <summary>The <c>cgr</c> entry point: dispatches commands and turns failures into one clear line.</summary>
internal static class CliApp
{
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    private const string Usage = """
        cgr: index and search code repositories (embedded mode: no servers needed)

          cgr index <path> [--name <repo>] [--replace] [--rev <commit>] [--watch] [--plain]
          cgr search "<query>" [--repo <name>] [--top N] [--mode lexical|dense|hybrid|hybrid+graph] [--lang <l>] [--path <glob>] [--files] [--json]
          cgr context "<query>" --budget <tokens> [--repo <name>] [--mode <mode>]
          cgr status [--repo <name>] [--check] [--cluster]   (--cluster: each live silo's roles and grain activations; admin on a server)
          cgr repair   (rebuilds derived indexes; moves a database beyond repair aside and re-indexes its repositories)
          cgr repos
          cgr remove <repo>
          cgr eval --queries <file.jsonl[.gz]> --repo <name> [--mode all|<mode>] [--k 10] [--json]
          cgr eval --codesearchnet <corpus-dir> ... | --swebench <checkout-root> ...   (see docs/eval.md)
          cgr bench [--corpus <path> ...] [--files N] [--embed N] [--precision fp32,int8] [--queries N] [--doc-vectors real|synthetic] [--multi-repo-chunks N] [--process-queries N] [--skip-parse] [--skip-index] [--json]
          cgr bench --fleet N [--corpus <root> ...] [--files N] [--embed N] [--queries N] [--doc-vectors synthetic] [--data-dir <dir>] [--json]
                (N repositories, a third of them forks, from the roots' sub-folders or this machine's source trees: index time, embedding reuse,
                 query/ACL/one-repo latency, push-to-searchable, catalog, memory and disk per million chunks; runs nothing else; see docs/benchmarks.md)
          cgr export-feedback [--texts]   (the server's query log + feedback as (query, positive, hard negative) JSONL)
          cgr daemon status|stop   (the background server that answers search, context, status and repos in milliseconds; --no-daemon or CGR_DAEMON=off answers in-process)
          cgr mcp [--data-dir <dir>]   (an MCP server on stdio for coding agents: search_code, get_context, get_symbol, list_repositories, index_status, index_repository, sync_repository)
          cgr serve [--data-dir <dir>] [--doc-vectors synthetic] [--CodeGraphRag:Server:GrpcPort=5000 ...]   (the gRPC server; see docs/deployment.md;
                synthetic document vectors are for benchmarks only)

        Every command accepts --data-dir <dir> (default: $CGR_DATA_DIR, else ~/.local/share/codegraphrag) and --verbose.
        Against a cluster: --server <url> (or CGR_SERVER) with --api-key <key> (CGR_API_KEY) or --token <jwt> (CGR_TOKEN);
        then `index` takes a path the server can read or a git URL (--branch, --read-groups g1,g2), and `index <repo> --cancel`
        stops a running sync (the next `index` resumes it); `eval` runs its queries
        through the Search RPC (latency = client round trip; --swebench needs a --checkout the server can read, or a git URL);
        `bench` takes --repo <indexed repo> (query latency) or --corpus <server path or git URL> (sync time + query latency);
        `export-feedback` streams the server's triples (admin).
        Queries may carry filters: repo:<name> lang:<language> path:<glob>.
        """;

    /// <summary>Whether <c>--help</c> or <c>-h</c> comes before any <c>--</c>.</summary>
    private static bool HelpRequested(string[] args)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                return false;
            }

            if (arg is "--help" or "-h")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The usage lines of one command plus the options every command shares; null for an unknown command.</summary>
    private static string? UsageFor(string command)
    {
        var lines = Usage.Split('\n');
        var own = lines.Where(l => l.TrimStart().StartsWith($"cgr {command} ", StringComparison.Ordinal) || l.Trim() == $"cgr {command}").ToList();
        if (own.Count == 0)
        {
            return null;
        }

        var shared = lines.SkipWhile(l => !l.StartsWith("Every command accepts", StringComparison.Ordinal));
        return string.Join('\n', own.Select(l => l.TrimStart()).Append(string.Empty).Concat(shared));
    }

    /// <summary><c>--server</c> (in any position) or <c>CGR_SERVER</c>; null means embedded mode.</summary>
    private static string? ServerArgument(string[] args)
        => ParsedArgs.LastOption(args, "server") ?? (Environment.GetEnvironmentVariable("CGR_SERVER") is { Length: > 0 } env ? env : null);

    /// <summary>The data directory the command used (<c>--data-dir</c>, else the default), full; null when it cannot be resolved.</summary>
    internal static string? DataDirectoryArgument(IReadOnlyList<string> args)
    {
        try
        {
            return Path.GetFullPath(CodeGraphRag.Hosting.DataDirectory.Resolve(ParsedArgs.LastOption(args, "data-dir")));
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                cts.Cancel();
            }
        };

        // SIGTERM (kill, systemd, a container stop) cancels like Ctrl-C: the sync stops between files and the next run resumes.
        // `serve` keeps its host's own graceful shutdown.
        using var sigterm = args.Length > 0 && args[0] == "serve" ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (!cts.IsCancellationRequested)
            {
                context.Cancel = true;
                cts.Cancel();
            }
        });

        var stdout = Console.Out;
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                stdout.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var command = args[0];
            var rest = args.AsSpan(1).ToArray();
            if (HelpRequested(rest) && UsageFor(command) is { } help)
            {
                // `cgr bench --help` must print help, not run a benchmark on the current folder.
                stdout.WriteLine(help);
                return 0;
            }

            if (command == "serve")
            {
                return await ServeCommand.RunAsync(rest, cts.Token);
            }

            if (ServerArgument(rest) is { } server)
            {
                return await RunRemoteAsync(command, server, rest, stdout, cts.Token);
            }

            if (command == "index" && rest.Contains("--cancel"))
            {
                throw CliException.Usage("--cancel stops a sync running on a server (with --server); in embedded mode press Ctrl-C in the running 'cgr index' (the next run resumes)");
            }

            if (ReadCommands.Contains(command))
            {
                // The background server of this data directory answers in milliseconds; started on first use (see Daemon/).
                return await DaemonClient.TryRunAsync(command, rest, stdout, Console.Error, cts.Token)
                    ?? await RunReadCommandAsync(command, rest, stdout, Console.Error, null, cts.Token);
            }

            if (command == "repair")
            {
                // CGR: repair may move the database a background server holds open aside; it stops first and starts again on demand.
                await DaemonClient.StopAsync(rest, cts.Token);
            }

            return command switch
            {
                // The background server indexes when one serves (or can serve) this data directory; see Daemon/.
                "index" => await DaemonClient.TryIndexAsync(rest, stdout, Console.Error, cts.Token)
                    ?? await IndexCommand.RunAsync(ParsedArgs.Parse(rest, IndexCommand.Values, IndexCommand.Flags), stdout, cts.Token),
                "daemon" => await DaemonCommand.RunAsync(ParsedArgs.Parse(rest, DaemonCommand.Values, DaemonCommand.Flags), stdout, cts.Token),
                "repair" => await RepairCommand.RunAsync(ParsedArgs.Parse(rest, RepairCommand.Values, RepairCommand.Flags), stdout, cts.Token),
                "remove" => await RemoveWithWriterAsync(ParsedArgs.Parse(rest, None, None), stdout, cts.Token),
                "eval" => await EvalCommand.RunAsync(ParsedArgs.Parse(rest, EvalCommand.Values, EvalCommand.Flags), stdout, cts.Token),
                "export-feedback" => await ExportFeedbackCommand.RunAsync(ParsedArgs.Parse(rest, ExportFeedbackCommand.Values, ExportFeedbackCommand.Flags), stdout, cts.Token),
                "mcp" => await McpCommand.RunAsync(ParsedArgs.Parse(rest, McpCommand.Values, McpCommand.Flags), cts.Token),
                "bench" => await BenchCommand.RunAsync(ParsedArgs.Parse(rest, BenchCommand.Values, BenchCommand.Flags), stdout, cts.Token),
                _ => throw CliException.Usage($"unknown command '{command}'; commands: index, search, context, status, repair, repos, remove, eval, bench, mcp, daemon, serve, export-feedback"),
            };
        }
        catch (Exception ex)
        {
            return Report(ex, Console.Error, args, cts.IsCancellationRequested);
        }
    }

    /// <summary>The commands that only read the index: a background server may answer them.</summary>
    internal static readonly IReadOnlySet<string> ReadCommands = new HashSet<string>(StringComparer.Ordinal) { "search", "context", "status", "repos" };

    /// <summary>Runs a read-only command on <paramref name="resident"/> (the background server's session) or a session of its own.</summary>
    internal static async Task<int> RunReadCommandAsync(string command, string[] rest, TextWriter stdout, TextWriter stderr, EmbeddedSession? resident, CancellationToken cancellationToken)
    {
        var args = ParseBackendCommand(command, rest, remote: false);
        return await RunBackendCommandAsync(command, args, stdout, stderr, () => OpenEmbeddedAsync(args, resident, cancellationToken), cancellationToken);
    }

    /// <summary>A command against a server (<c>--server</c>): the commands that run on either backend, and the server-only forms of index, eval, bench and export-feedback.</summary>
    private static async Task<int> RunRemoteAsync(string command, string server, string[] rest, TextWriter stdout, CancellationToken cancellationToken)
    {
        var args = ParseBackendCommand(command, rest, remote: true);
        if (BackendCommands.Contains(command))
        {
            return await RunBackendCommandAsync(command, args, stdout, Console.Error, () => Task.FromResult<ICliBackend>(RemoteBackend.Open(server, args)), cancellationToken);
        }

        await using var backend = RemoteBackend.Open(server, args);
        return command switch
        {
            "index" => await IndexCommand.RunRemoteAsync(args, backend, stdout, cancellationToken),
            "eval" => await backend.CallAsync(() => EvalCommand.RunAsync(EvalCommand.Plan(args, RemoteEvalTarget.MaxDepthLimit), new RemoteEvalTarget(backend.Connection), stdout, cancellationToken)),
            "bench" => await backend.CallAsync(() => RemoteBench.RunAsync(backend.Connection, args, stdout, cancellationToken)),
            _ => await ExportFeedbackCommand.RunRemoteAsync(args, backend, stdout, cancellationToken),
        };
    }

    /// <summary>The commands that run the same on either backend (<see cref="ICliBackend"/>).</summary>
    private static readonly IReadOnlySet<string> BackendCommands = new HashSet<string>(StringComparer.Ordinal) { "search", "context", "status", "repos", "remove" };

    /// <summary>The commands that run on either backend, given how to open it.</summary>
    private static Task<int> RunBackendCommandAsync(string command, ParsedArgs args, TextWriter stdout, TextWriter stderr, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
        => command switch
        {
            "search" => SearchCommand.RunAsync(args, stdout, open, cancellationToken),
            "context" => ContextCommand.RunAsync(args, stdout, stderr, open, cancellationToken),
            "status" => StatusCommand.StatusAsync(args, stdout, open, cancellationToken),
            "repos" => StatusCommand.ReposAsync(stdout, open, cancellationToken),
            "remove" => RemoveCommand.RunAsync(args, stdout, open, cancellationToken),
            _ => throw new ArgumentException($"'{command}' does not run on a backend", nameof(command)),
        };

    /// <summary>Parses a command's arguments for the embedded or the remote form (which take different options), or rejects a command that has no such form.</summary>
    private static ParsedArgs ParseBackendCommand(string command, string[] rest, bool remote) => command switch
    {
        "search" => ParsedArgs.Parse(rest, SearchCommand.Values, SearchCommand.Flags),
        "context" => ParsedArgs.Parse(rest, ContextCommand.Values, ContextCommand.Flags),
        "status" => ParsedArgs.Parse(rest, StatusCommand.Values, remote ? StatusCommand.RemoteFlags : StatusCommand.Flags),
        "repos" or "remove" => ParsedArgs.Parse(rest, None, None),
        "index" when remote => ParsedArgs.Parse(rest, IndexCommand.Values.Append("branch").Append("read-groups").ToHashSet(StringComparer.Ordinal), IndexCommand.Flags.Append("cancel").ToHashSet(StringComparer.Ordinal)),
        "eval" when remote => ParsedArgs.Parse(rest, EvalCommand.Values, EvalCommand.Flags),
        "bench" when remote => ParsedArgs.Parse(rest, RemoteBench.Values, RemoteBench.Flags),
        "export-feedback" when remote => ParsedArgs.Parse(rest, ExportFeedbackCommand.Values, ExportFeedbackCommand.Flags),
        "repair" when remote => throw CliException.Usage("'repair' runs where the data directory is (without --server); on a server host run 'cgr repair --data-dir <its data directory>' while the server is stopped"),
        _ when remote => throw CliException.Usage($"unknown command '{command}'; commands: index, search, context, status, repos, remove, eval, bench, export-feedback"),
        _ => throw new ArgumentException($"'{command}' is not a read-only command", nameof(command)),
    };

    private static async Task<ICliBackend> OpenEmbeddedAsync(ParsedArgs args, EmbeddedSession? resident, CancellationToken cancellationToken)
        => await EmbeddedBackend.OpenAsync(args, resident, cancellationToken);

    private static Task<int> RemoveWithWriterAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
        => RemoveCommand.RunAsync(args, stdout, async () => await EmbeddedBackend.OpenWriterAsync(args, cancellationToken), cancellationToken);

    /// <summary>Writes a failed command's one line (two with a hint) to <paramref name="stderr"/> and returns its exit code.</summary>
    internal static int Report(Exception exception, TextWriter stderr, string[] args, bool cancelled)
    {
        switch (exception)
        {
            case CliException ex:
                stderr.WriteLine($"cgr: {ex.Message}");
                return ex.ExitCode;
            case OperationCanceledException when cancelled:
                stderr.WriteLine("cgr: cancelled");
                return 130;
            default:
                var known = ErrorMessages.Describe(exception, DataDirectoryArgument(args));
                stderr.WriteLine($"cgr: {known ?? exception.GetBaseException().Message}");
                if (args.Contains("--verbose"))
                {
                    stderr.WriteLine(exception);
                }
                else if (known is null)
                {
                    stderr.WriteLine("cgr: run again with --verbose for details");
                }

                return 1;
        }
    }
}
