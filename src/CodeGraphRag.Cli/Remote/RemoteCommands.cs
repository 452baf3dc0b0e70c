using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Api.Services;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Sources;
using Grpc.Core;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Remote;

/// <summary>The commands against a server (<c>--server</c>): the same arguments and output as embedded mode, over gRPC.</summary>
internal static class RemoteCommands
{
    /// <summary>Runs <paramref name="command"/> against the server, or throws a usage error for commands that only run embedded.</summary>
    public static async Task<int> RunAsync(string command, string server, Func<IReadOnlySet<string>, IReadOnlySet<string>, ParsedArgs> parse, TextWriter stdout, CancellationToken cancellationToken)
    {
        var empty = new HashSet<string>(StringComparer.Ordinal);
        ParsedArgs args = command switch
        {
            "index" => parse(IndexCommand.Values.Append("branch").Append("read-groups").ToHashSet(StringComparer.Ordinal), IndexCommand.Flags.Append("cancel").ToHashSet(StringComparer.Ordinal)),
            "search" => parse(SearchCommand.Values, SearchCommand.Flags),
            "context" => parse(ContextCommand.Values, ContextCommand.Flags),
            "status" => parse(StatusCommand.Values, empty),
            "repair" => throw CliException.Usage("'repair' runs where the data directory is (without --server); on a server host run 'cgr repair --data-dir <its data directory>' while the server is stopped"),
            "repos" or "remove" => parse(empty, empty),
            "eval" => parse(EvalCommand.Values, EvalCommand.Flags),
            "bench" => parse(RemoteBench.Values, RemoteBench.Flags),
            "export-feedback" => parse(ExportFeedbackCommand.Values, ExportFeedbackCommand.Flags),
            _ => throw CliException.Usage($"unknown command '{command}'; commands: index, search, context, status, repos, remove, eval, bench, export-feedback"),
        };

        using var connection = RemoteConnection.Open(server, args);
        try
        {
            return command switch
            {
                "index" => await IndexAsync(connection, args, stdout, cancellationToken),
                "search" => await SearchAsync(connection, args, stdout, cancellationToken),
                "context" => await ContextAsync(connection, args, stdout, cancellationToken),
                "status" => await StatusAsync(connection, args, stdout, cancellationToken),
                "repos" => await ReposAsync(connection, stdout, cancellationToken),
                "eval" => await EvalCommand.RunAsync(EvalCommand.Plan(args, RemoteEvalTarget.MaxDepthLimit), new RemoteEvalTarget(connection), stdout, cancellationToken),
                "bench" => await RemoteBench.RunAsync(connection, args, stdout, cancellationToken),
                "export-feedback" => await ExportFeedbackAsync(connection, args, stdout, cancellationToken),
                _ => await RemoveAsync(connection, args, stdout, cancellationToken),
            };
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
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

    private static async Task<int> IndexAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
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
        var last = await FollowSyncAsync(connection, repository.Name, args.Value("rev"), renderer, cancellationToken);
        renderer.Summary(repository.Name, last);
        return last.Phase switch
        {
            SyncPhase.Completed => 0,
            SyncPhase.Cancelled => 130,
            _ => 1,
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

    /// <summary><c>cgr index &lt;repo&gt; --cancel --server ...</c>: stops the running sync; the next index resumes it.</summary>
    private static async Task<int> CancelSyncAsync(RemoteConnection connection, string repository, TextWriter stdout, CancellationToken cancellationToken)
    {
        var response = await connection.Client.CancelSyncAsync(new V1.CancelSyncRequest { Repository = repository }, connection.Call(cancellationToken));
        var progress = ToProgress(response.Progress ?? new V1.SyncProgress());
        stdout.WriteLine(response.Cancelled
            ? string.Create(CultureInfo.InvariantCulture,
                $"cancelled the sync of {repository} after {progress.FilesProcessed} of {progress.FilesToProcess} files; 'cgr index' resumes it")
            : $"no sync of {repository} was running (last: {progress.Phase.ToString().ToLowerInvariant()})");
        return 0;
    }

    private static async Task<int> ExportFeedbackAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var call = connection.Client.ExportFeedback(new V1.ExportFeedbackRequest { IncludeTexts = args.Flag("texts") }, connection.Call(cancellationToken));
        var written = 0;
        await foreach (var t in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var triplet = new TrainingTriplet(t.QueryId, t.Query, t.PositiveId, t.PositiveRank, t.NegativeId, t.NegativeRank,
                t.PositiveText is { Length: > 0 } positive ? positive : null, t.NegativeText is { Length: > 0 } negative ? negative : null);
            await TrainingTripletExporter.WriteJsonLineAsync(triplet, stdout, cancellationToken);
            written++;
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr: {written} triples"));
        return 0;
    }

    private static async Task<int> SearchAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var query = args.Single("query");
        if (string.IsNullOrWhiteSpace(query))
        {
            throw CliException.Usage("the query is empty");
        }

        var request = new V1.SearchRequest
        {
            Query = query,
            TopK = args.Int("top", SearchLimits.DefaultTop, 1, SearchLimits.MaxTop),
            Mode = ToMode(SearchArguments.ParseMode(args.Value("mode"))),
            Filters = Filters(args),
            Files = args.Flag("files"),
        };
        var response = await connection.Client.SearchAsync(request, connection.Call(cancellationToken));
        var result = ToResponse(query, response);
        if (args.Flag("json"))
        {
            SearchJson.Write(stdout, result, args.Value("repo"));
        }
        else
        {
            SearchText.Write(stdout, result);
        }

        return 0;
    }

    private static async Task<int> ContextAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var query = args.Single("query");
        if (args.Value("budget") is null)
        {
            throw CliException.Usage("context needs --budget <tokens> (for example --budget 4000)");
        }

        var request = new V1.GetContextRequest
        {
            Query = query,
            TokenBudget = args.Int("budget", SearchLimits.DefaultTokenBudget, SearchLimits.MinTokenBudget, SearchLimits.MaxTokenBudget),
            Mode = ToMode(SearchArguments.ParseMode(args.Value("mode"))),
            Filters = Filters(args),
        };
        var response = await connection.Client.GetContextAsync(request, connection.Call(cancellationToken));
        stdout.Write(TerminalText.Neutralize(response.Context));
        if (!response.Context.EndsWith('\n'))
        {
            stdout.WriteLine();
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr: {response.Hits.Count} hits, {response.Tokens}/{request.TokenBudget} tokens"));
        return 0;
    }

    private static async Task<int> StatusAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var names = args.Values("repo") is { Count: > 0 } given
            ? given
            : (await connection.Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), connection.Call(cancellationToken))).Repositories.Select(r => r.Name).ToList();
        stdout.WriteLine($"server: {connection.Address}");
        if (names.Count == 0)
        {
            stdout.WriteLine("no repositories indexed; run 'cgr index <path or git URL> --server ...'");
        }

        foreach (var name in names)
        {
            var status = await connection.Client.StatusAsync(new V1.StatusRequest { Repository = name }, connection.Call(cancellationToken));
            var repo = status.Repository;
            stdout.WriteLine();
            stdout.WriteLine($"{repo.Name}  ({repo.Source}{(repo.Revision is { Length: > 0 } rev ? " @ " + rev : string.Empty)})");
            stdout.WriteLine($"  last sync: {Format(repo.LastSyncCompleted)}");
            stdout.WriteLine($"  files: {Count(status.FilesByStatus, "indexed")} indexed, {Count(status.FilesByStatus, "skipped")} skipped, {Count(status.FilesByStatus, "failed")} failed");
            if (status.SkippedByReason.Count > 0)
            {
                stdout.WriteLine("  skipped: " + string.Join(", ", status.SkippedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}")));
            }

            if (status.FilesByLanguage.Count > 0)
            {
                stdout.WriteLine("  languages: " + string.Join(", ", status.FilesByLanguage.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
            }

            stdout.WriteLine($"  chunks: {status.Chunks}, symbols: {status.Symbols}, references: {status.References}");
            foreach (var failed in status.FailedFiles)
            {
                stdout.WriteLine($"  failed: {failed.Path}: {failed.Reason}");
            }
        }

        return 0;
    }

    private static async Task<int> ReposAsync(RemoteConnection connection, TextWriter stdout, CancellationToken cancellationToken)
    {
        var response = await connection.Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), connection.Call(cancellationToken));
        foreach (var repo in response.Repositories)
        {
            stdout.WriteLine($"{repo.Name}\t{repo.Source}\t{Format(repo.LastSyncCompleted)}");
        }

        return 0;
    }

    private static async Task<int> RemoveAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var name = args.Single("repository name");
        await connection.Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = name }, connection.Call(cancellationToken));
        stdout.WriteLine($"removed {name}");
        return 0;
    }

    private static V1.SearchFilters Filters(ParsedArgs args)
    {
        var filters = new V1.SearchFilters { PathGlob = args.Value("path") ?? string.Empty };
        filters.Repositories.AddRange(args.Values("repo"));
        filters.Languages.AddRange(args.Values("lang"));
        return filters;
    }

    internal static V1.SearchMode ToMode(Abstractions.Search.SearchMode mode) => mode switch
    {
        Abstractions.Search.SearchMode.Lexical => V1.SearchMode.Lexical,
        Abstractions.Search.SearchMode.Dense => V1.SearchMode.Dense,
        Abstractions.Search.SearchMode.Hybrid => V1.SearchMode.Hybrid,
        _ => V1.SearchMode.HybridGraph,
    };

    private static Abstractions.Search.SearchMode FromMode(V1.SearchMode mode) => mode switch
    {
        V1.SearchMode.Lexical => Abstractions.Search.SearchMode.Lexical,
        V1.SearchMode.Dense => Abstractions.Search.SearchMode.Dense,
        V1.SearchMode.Hybrid => Abstractions.Search.SearchMode.Hybrid,
        _ => Abstractions.Search.SearchMode.HybridGraph,
    };

    internal static Abstractions.Search.SearchResponse ToResponse(string query, V1.SearchResponse response) => new(
        query,
        FromMode(response.Mode),
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
    };

    private static int Count(Google.Protobuf.Collections.MapField<string, int> map, string key) =>
        map.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Format(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
        at is null ? "never" : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
