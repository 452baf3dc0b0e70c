using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Evaluation;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Sources;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr eval</c>: scores a query set per retrieval mode. Sources: <c>--queries file.jsonl</c>,
/// <c>--codesearchnet qrels_mapped.csv</c>, or <c>--swebench dir --project owner/name --checkout git-dir</c>
/// (each issue's base commit is synced incrementally before its query runs). With <c>--server</c> the same queries run
/// through the Search RPC (<see cref="Remote.RemoteEvalTarget"/>).
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
        var plan = Plan(args, maxDepth: 1000);
        await using var session = await EmbeddedSession.StartAsync(args, readOnly: plan.SwebenchCheckout is null, cancellationToken);
        return await RunAsync(plan, new EmbeddedEvalTarget(session), stdout, cancellationToken);
    }

    /// <summary>Reads the options and the query set; <paramref name="maxDepth"/> bounds <c>--depth</c> (the target's limit).</summary>
    public static EvalPlan Plan(ParsedArgs args, int maxDepth)
    {
        var repo = args.Value("repo") ?? throw CliException.Usage("eval needs --repo <name> (the indexed repository the queries run against)");
        var k = args.Int("k", 10, 1, 100);
        var depth = args.Int("depth", Math.Min(100, maxDepth), k, maxDepth);
        SearchMode[] modes = args.Value("mode") is null or "all" ? AllModes : [SearchArguments.ParseMode(args.Value("mode"))];
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

        return new EvalPlan(queries, swebench, repo, k, depth, modes, args.Flag("json"));
    }

    /// <summary>Runs every query in every mode against <paramref name="target"/>, scores it and writes the report.</summary>
    public static async Task<int> RunAsync(EvalPlan plan, IEvalTarget target, TextWriter stdout, CancellationToken cancellationToken)
    {
        var repo = plan.Repository;
        if (plan.SwebenchCheckout is null)
        {
            await target.CheckRepositoryAsync(repo, cancellationToken);
        }

        var runs = plan.Modes.ToDictionary(m => m, _ => new List<EvalRun>());
        var neverIndexed = new HashSet<string>(StringComparer.Ordinal);
        var indexKnown = true;
        string? syncedCommit = null;
        foreach (var query in plan.Queries)
        {
            if (plan.SwebenchCheckout is { } checkout && query.BaseCommit is { } commit && commit != syncedCommit)
            {
                await target.SyncAsync(repo, checkout, commit, cancellationToken);
                syncedCommit = commit;
            }

            foreach (var gold in query.Gold.Select(g => g.Path).Distinct(StringComparer.Ordinal))
            {
                var indexed = indexKnown ? await target.IsIndexedAsync(repo, gold, cancellationToken) : null;
                indexKnown &= indexed is not null;
                if (indexed == false)
                {
                    neverIndexed.Add(query.Id + ":" + gold);
                }
            }

            foreach (var mode in plan.Modes)
            {
                var (hits, files, latency) = await target.SearchAsync(repo, query, mode, plan.Depth, cancellationToken);
                runs[mode].Add(Score(query, hits, files, plan.K, latency));
            }
        }

        var report = EvalReport.Build(plan.K, plan.Queries.Count, indexKnown ? neverIndexed.Count : null, runs, target.LatencyMeasuredAt);
        if (plan.Json)
        {
            report.WriteJson(stdout);
        }
        else
        {
            report.WriteText(stdout);
        }

        return 0;
    }

    /// <summary>
    /// One query's metrics: span metrics when the gold has line ranges; otherwise file metrics over the search's file
    /// ranking (<paramref name="files"/>), or over the hits collapsed to their files when the target returned none.
    /// </summary>
    public static EvalRun Score(EvalQuery query, IReadOnlyList<SearchHit> hits, IReadOnlyList<FileHit>? files, int k, TimeSpan latency)
    {
        var spans = query.Gold.Any(g => g.StartLine is not null);
        var fileRanking = files is not null && !spans
            ? files.Select(f => f.Path).ToList()
            : RetrievalMetrics.CollapseToFiles(hits.Select(h => h.Path));
        var metrics = spans
            ? RetrievalMetrics.ComputeSpans(hits.Select(h => new RankedSpan(h.Path, h.StartLine, h.EndLine)).ToList(), query.Gold, k)
            : RetrievalMetrics.Compute(fileRanking, query.Gold, k);
        var ranking = fileRanking.Take(k).ToList();
        return new EvalRun(query, metrics, ranking, latency);
    }

    private static (IReadOnlyList<EvalQuery> Queries, string? SwebenchCheckout) LoadQueries(ParsedArgs args)
    {
        var sources = new[] { "queries", "codesearchnet", "swebench" }.Count(n => args.Value(n) is not null);
        if (sources != 1)
        {
            throw CliException.Usage("eval needs exactly one of --queries <file.jsonl[.gz]>, --codesearchnet <qrels_mapped.csv>, --swebench <dir>");
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
                using var reader = OpenText(File.Exists(csv) ? csv : DataFile(csv, "qrels_mapped.csv"));
                return (CodeSearchNetAdapter.Read(reader), null);
            }

            var dir = args.Value("swebench")!;
            var project = args.Value("project") ?? throw CliException.Usage("--swebench needs --project <owner/name>, e.g. psf/requests");
            var checkout = args.Value("checkout") ?? throw CliException.Usage("--swebench needs --checkout <path of a git clone of the project>");
            using var gold = OpenText(DataFile(dir, "gold_files_lite.jsonl"));
            using var instances = OpenText(DataFile(dir, "swebench_lite.jsonl"));
            var queries = SweBenchLiteAdapter.Read(gold, instances)
                .Where(q => string.Equals(q.Repository, project, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return (queries, GitMirror.IsRemote(checkout) ? checkout : Path.GetFullPath(checkout));
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

    /// <summary><paramref name="name"/> in <paramref name="directory"/>, or its gzipped form (as the copies under docs/eval are) when only that exists.</summary>
    private static string DataFile(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        return !File.Exists(plain) && File.Exists(plain + ".gz") ? plain + ".gz" : plain;
    }

    private static StreamReader OpenText(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"cannot read '{path}': no such file");
        }

        // CGR: a query set kept inside the repository it evaluates is best stored gzipped: a binary file is not indexed,
        // so its verbatim questions cannot become search hits of their own.
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress))
            : new StreamReader(path);
    }
}
