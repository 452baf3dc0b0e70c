using System.Diagnostics;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Retrieval.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr eval</c>: scores a query set per retrieval mode. Sources: <c>--queries file.jsonl</c>,
/// <c>--codesearchnet qrels_mapped.csv</c>, or <c>--swebench dir --project owner/name --checkout git-dir</c>
/// (each issue's base commit is synced incrementally before its query runs).
/// </summary>
internal static class EvalCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal)
    {
        "queries", "codesearchnet", "swebench", "project", "checkout", "repo", "mode", "k", "split", "depth", "limit",
    };

    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "json" };

    private static readonly SearchMode[] AllModes = [SearchMode.Lexical, SearchMode.Dense, SearchMode.Hybrid, SearchMode.HybridGraph];

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var repo = args.Value("repo") ?? throw CliException.Usage("eval needs --repo <name> (the indexed repository the queries run against)");
        var k = args.Int("k", 10, 1, 100);
        var depth = args.Int("depth", 100, k, 1000);
        var modes = args.Value("mode") is null or "all" ? AllModes : [SearchArguments.ParseMode(args.Value("mode"))];
        var (queries, swebench) = LoadQueries(args);
        queries = Split(queries, args.Value("split"));
        if (args.Value("limit") is not null)
        {
            queries = queries.Take(args.Int("limit", queries.Count, 1, int.MaxValue)).ToList();
        }

        if (queries.Count == 0)
        {
            throw new CliException("the query set is empty after filtering (check --project / --split)");
        }

        await using var session = await EmbeddedSession.StartAsync(args, readOnly: swebench is null, cancellationToken);
        var catalog = session.Services.GetRequiredService<IRepositoryCatalog>();
        if (swebench is null)
        {
            await SearchArguments.CheckRepositoriesAsync(catalog, [repo], cancellationToken);
        }

        var runs = modes.ToDictionary(m => m, _ => new List<EvalRun>());
        var neverIndexed = new HashSet<string>(StringComparer.Ordinal);
        string? syncedCommit = null;
        foreach (var query in queries)
        {
            if (swebench is not null && query.BaseCommit is { } commit && commit != syncedCommit)
            {
                await SyncAsync(session, repo, swebench, commit, cancellationToken);
                syncedCommit = commit;
            }

            foreach (var gold in query.Gold.Select(g => g.Path).Distinct(StringComparer.Ordinal))
            {
                if (await catalog.GetFileAsync(repo, gold, cancellationToken) is not { Status: FileStatus.Indexed })
                {
                    neverIndexed.Add(query.Id + ":" + gold);
                }
            }

            foreach (var mode in modes)
            {
                var clock = Stopwatch.StartNew();
                var response = await session.Client.GetGrain<ISearchGrain>(0).SearchAsync(
                    new SearchRequest(query.Query, [repo], Mode: mode, Top: depth, ParseInlineFilters: false), cancellationToken);
                clock.Stop();
                var spans = query.Gold.Any(g => g.StartLine is not null);
                var metrics = spans
                    ? RetrievalMetrics.ComputeSpans(response.Hits.Select(h => new RankedSpan(h.Path, h.StartLine, h.EndLine)).ToList(), query.Gold, k)
                    : RetrievalMetrics.Compute(RetrievalMetrics.CollapseToFiles(response.Hits.Select(h => h.Path)), query.Gold, k);
                var ranking = RetrievalMetrics.CollapseToFiles(response.Hits.Select(h => h.Path)).Take(k).ToList();
                runs[mode].Add(new EvalRun(query, metrics, ranking, clock.Elapsed));
            }
        }

        var report = EvalReport.Build(k, queries.Count, neverIndexed.Count, runs);
        if (args.Flag("json"))
        {
            report.WriteJson(stdout);
        }
        else
        {
            report.WriteText(stdout);
        }

        return 0;
    }

    private static async Task SyncAsync(EmbeddedSession session, string repo, string checkout, string commit, CancellationToken cancellationToken)
    {
        var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repo));
        var renderer = ProgressRenderer.Create(Console.Error, forcePlain: true);
        var result = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(checkout, commit), renderer, cancellationToken);
        if (result.Phase != SyncPhase.Completed)
        {
            throw new CliException($"syncing {repo} to {commit} failed: {result.Error ?? result.Phase.ToString()}");
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr: {repo} at {commit[..Math.Min(10, commit.Length)]}: {result.FilesIndexed} files indexed, {result.FilesDeleted} deleted, {result.ChunksEmbedded} chunks embedded in {result.Elapsed.TotalSeconds:F1}s"));
    }

    private static (IReadOnlyList<EvalQuery> Queries, string? SwebenchCheckout) LoadQueries(ParsedArgs args)
    {
        var sources = new[] { "queries", "codesearchnet", "swebench" }.Count(n => args.Value(n) is not null);
        if (sources != 1)
        {
            throw CliException.Usage("eval needs exactly one of --queries <file.jsonl>, --codesearchnet <qrels_mapped.csv>, --swebench <dir>");
        }

        try
        {
            if (args.Value("queries") is { } jsonl)
            {
                using var reader = OpenText(jsonl);
                return (EvalQueryJsonl.Read(reader), null);
            }

            if (args.Value("codesearchnet") is { } csv)
            {
                using var reader = OpenText(File.Exists(csv) ? csv : Path.Combine(csv, "qrels_mapped.csv"));
                return (CodeSearchNetAdapter.Read(reader), null);
            }

            var dir = args.Value("swebench")!;
            var project = args.Value("project") ?? throw CliException.Usage("--swebench needs --project <owner/name>, e.g. psf/requests");
            var checkout = args.Value("checkout") ?? throw CliException.Usage("--swebench needs --checkout <path of a git clone of the project>");
            using var gold = OpenText(Path.Combine(dir, "gold_files_lite.jsonl"));
            using var instances = OpenText(Path.Combine(dir, "swebench_lite.jsonl"));
            var queries = SweBenchLiteAdapter.Read(gold, instances)
                .Where(q => string.Equals(q.Repository, project, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return (queries, Path.GetFullPath(checkout));
        }
        catch (EvalFormatException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static List<EvalQuery> Split(IReadOnlyList<EvalQuery> queries, string? split) => split switch
    {
        null or "all" => [.. queries],
        "dev" => [.. queries.Where(q => EvalSplit.Assign(q.Id) == EvalSplitPart.Dev)],
        "test" => [.. queries.Where(q => EvalSplit.Assign(q.Id) == EvalSplitPart.Test)],
        _ => throw CliException.Usage($"--split '{split}' is not one of all, dev, test"),
    };

    private static StreamReader OpenText(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"cannot read '{path}': no such file");
        }

        return new StreamReader(path);
    }
}
