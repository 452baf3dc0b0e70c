using System.Diagnostics;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Sources;
using Grpc.Core;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Remote;

/// <summary>
/// <c>cgr bench --server</c>: what can be measured through the API. <c>--repo</c>: query latency per mode against an
/// indexed repository (read access). <c>--corpus</c> (a path the server can read, or a git URL): a throwaway repository
/// is registered, synced cold and again unchanged, queried, and removed (admin). Query latencies are client round trips
/// next to the server's own; sync times are the server's. Parse/chunk and embedding throughput, the one-file re-sync and
/// ANN recall measure in-process components and need the data on this machine: they stay with the local bench.
/// </summary>
internal static class RemoteBench
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "repo", "corpus", "queries", "files", "embed" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "skip-index" };

    /// <summary>The one-line answer for the parts of the local bench that cannot run against a server.</summary>
    public const string LocalOnly =
        "with --server, cgr bench measures sync time (--corpus) and query latency (--repo or --corpus) through the API; parse/chunk and embedding throughput, the one-file re-sync and ANN recall (--files, --embed, --skip-index) need the data on this machine: run 'cgr bench' without --server on a server host";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly SearchMode[] Modes = [SearchMode.Lexical, SearchMode.Dense, SearchMode.HybridGraph];

    private static readonly string[] Phrases =
    [
        "parse the command line arguments", "read a configuration file", "retry a failed network request",
        "compute a hash of the content", "open a database connection", "split a string into tokens",
        "handle an http request", "write results to a json file", "sort items by key", "check user permissions",
    ];

    public static async Task<int> RunAsync(RemoteConnection connection, ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (args.Value("files") is not null || args.Value("embed") is not null || args.Flag("skip-index"))
        {
            throw CliException.Usage(LocalOnly);
        }

        var repo = args.Value("repo");
        var corpus = args.Value("corpus");
        if ((repo is null) == (corpus is null))
        {
            throw CliException.Usage("with --server, cgr bench needs --repo <indexed repository> (query latency) or --corpus <path the server can read, or git URL> (sync time and query latency), not both");
        }

        var queryCount = args.Int("queries", 50, 1, 10_000);
        stdout.WriteLine($"server: {connection.Address} (query latency: client round trip, with the server's own in parentheses; sync times: the server's)");
        if (repo is not null)
        {
            await QueryLatencyAsync(connection, repo, queryCount, stdout, cancellationToken);
            return 0;
        }

        var name = "cgr-bench-" + Guid.NewGuid().ToString("N")[..8];
        var register = new V1.RegisterRepositoryRequest { Name = name };
        if (GitMirror.IsRemote(corpus!))
        {
            register.GitUrl = corpus;
        }
        else
        {
            register.LocalPath = Path.GetFullPath(corpus!);
        }

        await connection.Client.RegisterRepositoryAsync(register, connection.Call(cancellationToken));
        try
        {
            var quiet = ProgressRenderer.Create(TextWriter.Null, forcePlain: true);
            var cold = await SyncAsync(connection, name, quiet, cancellationToken);
            var seconds = Math.Max(cold.Elapsed.TotalSeconds, 1e-9);
            stdout.WriteLine(string.Create(Inv,
                $"cold index: {cold.FilesIndexed} files, {cold.ChunksWritten} chunks, {cold.ChunksEmbedded} embedded in {cold.Elapsed.TotalSeconds:F1}s = {cold.FilesIndexed / seconds:F1} files/s, {cold.BytesProcessed / 1e6 / seconds:F2} MB/s, {cold.ChunksWritten / seconds:F1} chunks/s"));
            var warm = await SyncAsync(connection, name, quiet, cancellationToken);
            stdout.WriteLine(string.Create(Inv, $"warm re-sync, nothing changed: {warm.Elapsed.TotalMilliseconds:F0} ms ({warm.FilesUnchanged} files unchanged, {warm.ChunksEmbedded} embedded)"));
            await QueryLatencyAsync(connection, name, queryCount, stdout, cancellationToken);
        }
        finally
        {
            // CGR: the throwaway repository goes whatever happened; a cancelled run still removes it, and a failed removal
            // is reported without hiding the error that ended the run.
            try
            {
                await connection.Client.RemoveRepositoryAsync(new V1.RemoveRepositoryRequest { Repository = name }, connection.Call(CancellationToken.None, TimeSpan.FromMinutes(2)));
            }
            catch (RpcException ex)
            {
                await Console.Error.WriteLineAsync($"cgr: could not remove the bench repository {name} ({ex.Status.Detail}); remove it with 'cgr remove {name} --server ...'");
            }
        }

        return 0;
    }

    /// <summary>Query texts for <paramref name="count"/> measurements: fixed phrases, then "where is X implemented" for files the phrases found.</summary>
    internal static List<string> Queries(IEnumerable<string> foundPaths, int count)
    {
        var names = foundPaths.Select(p => Path.GetFileNameWithoutExtension(p).Replace('_', ' ')).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);
        var queries = Phrases.Concat(names.Select(n => "where is " + n + " implemented")).Take(count).ToList();
        // A small repository may not yield enough distinct names: cycle through what there is.
        for (var i = 0; queries.Count < count; i++)
        {
            queries.Add(queries[i]);
        }

        return queries;
    }

    private static async Task<SyncProgress> SyncAsync(RemoteConnection connection, string name, ProgressRenderer renderer, CancellationToken cancellationToken)
    {
        var result = await RemoteBackend.FollowSyncAsync(connection, name, null, renderer, cancellationToken);
        return result.Phase == SyncPhase.Completed ? result : throw new CliException($"the bench sync of {name} ended {result.Phase}: {result.Error}");
    }

    private static async Task QueryLatencyAsync(RemoteConnection connection, string repo, int count, TextWriter stdout, CancellationToken cancellationToken)
    {
        // Warm-up (not measured): one search per phrase; the files they find name the rest of the queries.
        var found = new List<string>();
        foreach (var phrase in Phrases)
        {
            var (response, _) = await SearchAsync(connection, repo, phrase, SearchMode.Hybrid, cancellationToken);
            found.AddRange(response.Hits.Select(h => h.Path));
        }

        var queries = Queries(found, count);
        foreach (var mode in Modes)
        {
            var client = new List<TimeSpan>(queries.Count);
            var server = new List<TimeSpan>(queries.Count);
            _ = await SearchAsync(connection, repo, queries[0], mode, cancellationToken);
            foreach (var q in queries)
            {
                var (response, elapsed) = await SearchAsync(connection, repo, q, mode, cancellationToken);
                client.Add(elapsed);
                server.Add(response.Latency?.ToTimeSpan() ?? TimeSpan.Zero);
            }

            var c = RetrievalMetrics.Latency(client);
            var s = RetrievalMetrics.Latency(server);
            stdout.WriteLine(string.Create(Inv,
                $"query {SearchArguments.Name(mode),-12} p50 {c.P50Ms:F1} ms, p95 {c.P95Ms:F1} ms over {c.Count} queries (server: p50 {s.P50Ms:F1} ms, p95 {s.P95Ms:F1} ms; query embedding included)"));
        }
    }

    private static async Task<(V1.SearchResponse Response, TimeSpan Elapsed)> SearchAsync(RemoteConnection connection, string repo, string query, SearchMode mode, CancellationToken cancellationToken)
    {
        var request = new V1.SearchRequest { Query = query, TopK = 10, Mode = RemoteBackend.ToMode(mode), RawQuery = true, Filters = new V1.SearchFilters() };
        request.Filters.Repositories.Add(repo);
        var clock = Stopwatch.StartNew();
        var response = await connection.Client.SearchAsync(request, connection.Call(cancellationToken));
        return (response, clock.Elapsed);
    }
}
