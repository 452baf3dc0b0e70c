using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Embeddings;
using CodeGraphRag.Embeddings.Benchmarks;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Sources;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr bench --corpus &lt;dir&gt; [--corpus &lt;dir&gt; ...] [--files N] [--embed N] [--precision p1,p2] [--queries N]
/// [--doc-vectors real|synthetic] [--multi-repo-chunks N] [--skip-parse] [--skip-index] [--json]</c>: parse + chunk throughput
/// per language, embedding throughput against the CPU's FLOP bound (per listed precision, on the same chunks, with each
/// precision's agreement with fp32), cold index, warm unchanged re-sync, one-file re-sync, query latency percentiles
/// (whole query and per stage) and ANN recall, on a private copy of each corpus (one repository per corpus); then filtered
/// dense search in a synthetic multi-repository store (<see cref="MultiRepositoryBench"/>; 0 chunks skips it). With
/// <c>--json</c> the text goes to stderr and stdout gets one JSON object with the sections that have a JSON form
/// (<c>embedding</c>, <c>agreement</c>, <c>multi_repo</c>). The data directory is a throwaway one
/// unless <c>--data-dir</c> is given explicitly (never <c>CGR_DATA_DIR</c>, which may hold a real index): then it is
/// kept, and a later run with the same corpora re-syncs it instead of rebuilding (so a 100k-chunk index is built once).
/// <c>--fleet N</c> runs the fleet benchmark instead (<see cref="FleetBench"/>: N repositories built from the <c>--corpus</c>
/// roots' sub-folders, or without <c>--corpus</c> from this machine's source trees, <c>--files</c> per repository at most,
/// default 200) and nothing else: no parse or single-corpus index part, and the multi-repository part only when
/// <c>--multi-repo-chunks</c> is given; <c>--embed N</c> (default 256) times the real model on N of the fleet's chunks to
/// extrapolate the cost of real vectors when they are synthetic. Its JSON section is <c>fleet</c>.
/// </summary>
internal static class BenchCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "corpus", "files", "embed", "precision", "queries", "doc-vectors", "multi-repo-chunks", "process-queries", "fleet" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "skip-index", "skip-parse", "json" };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var json = args.Flag("json");
        var jsonOut = stdout;
        if (json)
        {
            stdout = Console.Error;
        }

        var fleetSize = args.Int("fleet", 0, 0, 100_000);
        var corpora = (args.Values("corpus") is { Count: > 0 } given ? given : fleetSize > 0 ? [] : ["."]).Select(Path.GetFullPath).ToList();
        foreach (var corpus in corpora.Where(c => !Directory.Exists(c)))
        {
            throw new CliException($"--corpus '{corpus}' is not a directory");
        }

        var synthetic = args.Value("doc-vectors") switch
        {
            null or "real" => false,
            "synthetic" => true,
            var other => throw CliException.Usage($"--doc-vectors must be 'real' or 'synthetic' (got '{other}')"),
        };
        var maxFiles = args.Int("files", fleetSize > 0 ? 200 : 400, 1, 1_000_000);
        var embedCount = args.Int("embed", 256, 0, 100_000);
        var precisions = ParsePrecisions(args.Value("precision"));
        var queryCount = args.Int("queries", 50, 1, 10_000);
        var processQueries = args.Int("process-queries", 0, 0, 1_000);
        var multiRepoChunks = args.Int("multi-repo-chunks", fleetSize > 0 ? 0 : MultiRepositoryBench.DefaultChunks, 0, 10_000_000);
        MultiRepoDocument? multiRepo = null;
        var work = Path.Combine(Path.GetTempPath(), "cgr-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var keptDataDir = args.Value("data-dir") is { } dir ? Path.GetFullPath(dir) : null;
        try
        {
            stdout.WriteLine(string.Create(Inv, $"machine: {Environment.ProcessorCount} cores, {CpuFlopBound.Detect()}; {DateTimeOffset.UtcNow:yyyy-MM-dd}{LoadAverage()}"));
            var repositories = new List<BenchRepository>();
            foreach (var (corpus, name) in fleetSize > 0 ? [] : corpora.Zip(RepositoryNames(corpora)))
            {
                var tree = Path.Combine(work, "tree", name);
                var files = await CopyCorpusAsync(corpus, tree, maxFiles, cancellationToken);
                repositories.Add(new BenchRepository(name, tree, files));
                stdout.WriteLine(string.Create(Inv, $"corpus: {corpus} as repository '{name}' ({files.Count} files, {files.Sum(f => f.Bytes.Length) / 1e6:F1} MB copied)"));
            }

            if (synthetic)
            {
                stdout.WriteLine("document vectors: SYNTHETIC (a seeded unit vector per chunk text, model id suffix "
                    + SyntheticDocumentEmbedder.ModelSuffix + "): dense hits are arbitrary chunks; latency only, never quality; the query embedding is real");
            }

            var dataDir = keptDataDir ?? Path.Combine(work, "data");
            stdout.WriteLine(keptDataDir is null ? "data directory: throwaway" : $"data directory: {dataDir} (kept; reused by later runs)");
            var sessionArgs = ParsedArgs.Parse(["--data-dir", dataDir], new HashSet<string>(), new HashSet<string>());
            await using var session = await EmbeddedSession.StartAsync(sessionArgs, readOnly: false, cancellationToken, synthetic ? UseSyntheticDocumentVectors : null);
            var allFiles = repositories.SelectMany(r => r.Files).ToList();
            var texts = args.Flag("skip-parse") || fleetSize > 0 ? [] : ParseBenchmark(session.Services.GetRequiredService<ICodeParser>(), allFiles, stdout, cancellationToken);
            IReadOnlyList<EmbeddingBenchDocument>? embedding = null;
            IReadOnlyDictionary<string, AgreementDocument>? agreement = null;
            if (embedCount > 0 && texts.Count > 0)
            {
                (embedding, agreement) = await EmbeddingBenchmarkAsync(session, texts.Take(embedCount).ToList(), precisions, dataDir, stdout, cancellationToken);
            }

            FleetDocument? fleet = null;
            if (fleetSize > 0)
            {
                (fleet, embedding) = await FleetBench.RunAsync(
                    session, new FleetBenchSettings(fleetSize, maxFiles, corpora, queryCount, embedCount, synthetic, dataDir), stdout, cancellationToken);
            }
            else if (!args.Flag("skip-index"))
            {
                await IndexBenchmarkAsync(session, repositories, queryCount, synthetic, stdout, cancellationToken);
                if (processQueries > 0 && !synthetic)
                {
                    await ProcessLatencyAsync(dataDir, repositories, processQueries, stdout, cancellationToken);
                }
            }

            if (multiRepoChunks > 0)
            {
                multiRepo = await MultiRepositoryBench.RunAsync(work, multiRepoChunks, queryCount, stdout, cancellationToken);
            }

            if (json)
            {
                var machine = new BenchMachineDocument(Environment.ProcessorCount, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", Inv));
                jsonOut.WriteLine(JsonSerializer.Serialize(new BenchDocument(embedding, agreement, multiRepo, machine, fleet), BenchJsonContext.Default.BenchDocument));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return 0;
    }

    /// <summary>
    /// The <c>--precision</c> list (comma separated, each measured once, in order), or null to measure the configured
    /// embedder. Each value must be one the <c>Precision</c> setting accepts.
    /// </summary>
    private static List<string>? ParsePrecisions(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var precision in list)
        {
            // An unknown setting stays as written; a known one resolves to a precision the embedder runs.
            if (new OnnxEmbeddingOptions { Precision = precision }.EffectivePrecision is not ("fp32" or "int8" or "fp16"))
            {
                throw CliException.Usage($"--precision takes a comma list of 'auto', 'fp32', 'int8' and 'fp16' (got '{precision}')");
            }
        }

        return list.Count > 0 ? list : throw CliException.Usage("--precision needs at least one precision, e.g. --precision fp32,int8");
    }

    /// <summary>
    /// Times embedding <paramref name="sample"/> with the configured embedder, or with one embedder per listed precision
    /// (the configured model and device, prepared models kept in the bench data directory), and compares each non-fp32
    /// precision's vectors with fp32's.
    /// </summary>
    internal static async Task<(List<EmbeddingBenchDocument> Documents, Dictionary<string, AgreementDocument>? Agreement)> EmbeddingBenchmarkAsync(
        EmbeddedSession session, List<string> sample, List<string>? precisions, string dataDir, TextWriter stdout, CancellationToken cancellationToken)
    {
        var configured = session.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;
        var measured = new List<(string Precision, string ModelId, EmbeddingThroughputResult Result)>();
        if (precisions is null)
        {
            // The real model even with synthetic document vectors: this line is what real vectors would cost.
            var embedder = session.Services.GetRequiredService<IEmbedder>() is var configuredEmbedder && configuredEmbedder is SyntheticDocumentEmbedder synthetic
                ? synthetic.Inner
                : configuredEmbedder;
            var result = await EmbeddingThroughput.MeasureAsync(embedder, sample, cancellationToken: cancellationToken);
            WriteEmbeddingLine(stdout, embedder.Model.Id, configured, result);
            measured.Add((configured.EffectivePrecision, embedder.Model.Id, result));
        }
        else
        {
            foreach (var precision in precisions)
            {
                var options = configured.WithPrecision(precision);
                options.PreparedModelDirectory ??= Path.Combine(dataDir, "models");
                await using var embedder = new OnnxEmbedder(options);
                var result = await EmbeddingThroughput.MeasureAsync(embedder, sample, cancellationToken: cancellationToken);
                WriteEmbeddingLine(stdout, embedder.Model.Id, options, result);
                measured.Add((embedder.Precision, embedder.Model.Id, result));
            }
        }

        var documents = measured.Select(m => new EmbeddingBenchDocument(
            m.Precision, configured.Device, m.ModelId, m.Result.Chunks,
            Math.Round(m.Result.ChunksPerSecond, 2), Math.Round(m.Result.TokensPerSecond, 1), configured.UsesCuda ? null : Math.Round(m.Result.RatioOfBound, 4))).ToList();
        var reference = measured.FirstOrDefault(m => m.Precision == "fp32").Result;
        if (reference is null || measured.Count < 2)
        {
            return (documents, null);
        }

        var agreement = new Dictionary<string, AgreementDocument>(StringComparer.Ordinal);
        foreach (var (precision, _, result) in measured.Where(m => m.Precision != "fp32"))
        {
            var cosines = reference.Vectors.Zip(result.Vectors, (a, b) => (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b)).ToList();
            agreement[precision] = new AgreementDocument(cosines.Count, Math.Round(cosines.Average(), 6), Math.Round(cosines.Min(), 6));
            stdout.WriteLine(string.Create(Inv,
                $"embedding {precision} / fp32 in this run: {result.ChunksPerSecond / reference.ChunksPerSecond:F2}x chunks/s; vectors against fp32 over {cosines.Count} chunks: mean cosine {cosines.Average():F4}, min {cosines.Min():F4}"));
        }

        return (documents, agreement);
    }

    private static void WriteEmbeddingLine(TextWriter stdout, string modelId, OnnxEmbeddingOptions options, EmbeddingThroughputResult result)
    {
        var bound = options.UsesCuda
            ? $" on {options.Device} (the CPU FLOP bound does not apply)"
            : string.Create(Inv, $" = {result.RatioOfBound:P1} of the {result.BoundGflops:F1} GFLOP/s fp32 bound (process got {result.CpuShare:P0} of the cores)");
        stdout.WriteLine(string.Create(Inv,
            $"embedding ({modelId}): {result.Chunks} chunks, {result.Tokens / (double)result.Chunks:F0} tokens/chunk: {result.ChunksPerSecond:F1} chunks/s, {result.TokensPerSecond:F0} tokens/s, {result.AchievedGflops:F1} GFLOP/s{bound}"));
    }

    /// <summary>Replaces the document embedder with <see cref="SyntheticDocumentEmbedder"/> around the configured one.</summary>
    internal static void UseSyntheticDocumentVectors(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IEmbedder));
        services.Remove(original);
        services.AddSingleton<IEmbedder>(sp => new SyntheticDocumentEmbedder(original switch
        {
            { ImplementationInstance: IEmbedder instance } => instance,
            { ImplementationFactory: { } factory } => (IEmbedder)factory(sp),
            _ => (IEmbedder)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
        }));
    }

    /// <summary>One repository name per corpus: the folder name, made unique with a numeric suffix.</summary>
    private static List<string> RepositoryNames(List<string> corpora)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var corpus in corpora)
        {
            var baseName = Path.GetFileName(corpus.TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } n ? n : "bench";
            var name = baseName;
            for (var i = 2; !used.Add(name); i++)
            {
                name = string.Create(Inv, $"{baseName}-{i}");
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>" (load average a b c)" where the OS reports it; empty elsewhere.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? " (load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + ")" : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private const int MeasuredParsePasses = 5;

    private static List<string> ParseBenchmark(ICodeParser parser, List<(string Path, byte[] Bytes)> files, TextWriter stdout, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        var decoded = new List<(string Path, string Text, int Bytes)>(files.Count);
        foreach (var (path, bytes) in files)
        {
            if (TextDecoder.TryDecode(bytes, out var text, out _))
            {
                decoded.Add((path, text, bytes.Length));
            }
        }

        // Warm-up until the hot paths run tiered-up code (at least three passes and four seconds): a single pass leaves most
        // methods at tier 0 and charges the JIT's background compilation to the measured pass. One second was too short
        // for small corpora on 2 cores (C 0.49 MB read 4.4 MB/s after it, 6.5 after four seconds, the same binary).
        var warmup = Stopwatch.StartNew();
        for (var pass = 0; pass < 3 || warmup.Elapsed < TimeSpan.FromSeconds(4); pass++)
        {
            foreach (var (path, text, _) in decoded)
            {
                _ = parser.Parse(path, text, cancellationToken);
            }
        }

        // Several measured passes, reported as the median pass per language with the range: one pass over a few hundred
        // files moves by +-10 % with the machine's load, which hides the effect of most single changes.
        var passes = new List<Dictionary<string, (long Bytes, TimeSpan Cpu, int Files, int Chunks)>>();
        for (var pass = 0; pass < MeasuredParsePasses; pass++)
        {
            var byLanguage = new Dictionary<string, (long Bytes, TimeSpan Cpu, int Files, int Chunks)>(StringComparer.Ordinal);
            foreach (var (path, text, bytes) in decoded)
            {
                var before = ThreadCpuClock.Now();
                var parsed = parser.Parse(path, text, cancellationToken);
                var cpu = ThreadCpuClock.Now() - before;
                var current = byLanguage.GetValueOrDefault(parsed.Language);
                byLanguage[parsed.Language] = (current.Bytes + bytes, current.Cpu + cpu, current.Files + 1, current.Chunks + parsed.Chunks.Count);
                if (pass == 0)
                {
                    texts.AddRange(parsed.Chunks.Select(c => ChunkRecordBuilder.EmbeddingText(path, c.SymbolPath, c.Signature, c.Text)));
                }
            }

            passes.Add(byLanguage);
        }

        var clock = ThreadCpuClock.PerThread ? "CPU time of the parsing thread" : "process CPU time";
        foreach (var (language, s) in passes[0].OrderByDescending(kv => kv.Value.Bytes))
        {
            var rates = passes.Select(p => p[language]).Select(p => p.Cpu.TotalSeconds > 0 ? p.Bytes / 1e6 / p.Cpu.TotalSeconds : double.PositiveInfinity).Order().ToList();
            stdout.WriteLine(string.Create(Inv,
                $"parse+chunk {language,-12} {s.Files,5} files {s.Bytes / 1e6,7:F2} MB {s.Chunks,7} chunks  {rates[rates.Count / 2],7:F2} MB/s per core ({clock}; median of {rates.Count} passes, {rates[0]:F2}-{rates[^1]:F2})"));
        }

        // Deterministic mixed-length sample: interleave short and long chunks.
        var rng = new Random(7);
        return [.. texts.OrderBy(_ => rng.Next())];
    }

    private static async Task IndexBenchmarkAsync(
        EmbeddedSession session, List<BenchRepository> repositories, int queryCount, bool synthetic, TextWriter stdout, CancellationToken cancellationToken)
    {
        var catalog = session.Services.GetRequiredService<IRepositoryCatalog>();
        var quiet = ProgressRenderer.Create(TextWriter.Null, forcePlain: true);
        long totalChunks = 0;
        foreach (var repository in repositories)
        {
            var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository.Name));
            var existed = await catalog.GetRepositoryAsync(repository.Name, cancellationToken) is not null;
            var first = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(repository.Tree), ProgressRenderer.Create(Console.Error, forcePlain: true), cancellationToken);
            stdout.WriteLine(string.Create(Inv,
                $"{(existed ? "re-sync of the kept index" : "cold index")} '{repository.Name}': {first.FilesIndexed} files indexed, {first.FilesUnchanged} unchanged, {first.ChunksWritten} chunks written, {first.ChunksEmbedded} embedded in {first.Elapsed.TotalSeconds:F1}s = {first.FilesIndexed / first.Elapsed.TotalSeconds:F1} files/s, {first.BytesProcessed / 1e6 / first.Elapsed.TotalSeconds:F2} MB/s, {first.ChunksWritten / first.Elapsed.TotalSeconds:F1} chunks/s"));

            var warm = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(repository.Tree), quiet, cancellationToken);
            stdout.WriteLine(string.Create(Inv, $"warm re-sync '{repository.Name}', nothing changed: {warm.Elapsed.TotalMilliseconds:F0} ms ({warm.FilesUnchanged} files unchanged, {warm.ChunksEmbedded} embedded)"));
            totalChunks += (await catalog.GetStatsAsync(repository.Name, cancellationToken)).Chunks;
        }

        var (firstName, firstTree, firstFiles) = repositories[0];
        var target = firstFiles.FirstOrDefault(f => f.Path.EndsWith(".py", StringComparison.Ordinal) || f.Path.EndsWith(".cs", StringComparison.Ordinal));
        if (target.Path is not null)
        {
            var full = Path.Combine(firstTree, target.Path);
            var addition = target.Path.EndsWith(".py", StringComparison.Ordinal)
                ? "\n\ndef cgr_bench_added(value):\n    return value * 2\n"
                : "\n// cgr bench edit\n";
            await File.AppendAllTextAsync(full, addition, Encoding.UTF8, cancellationToken);
            var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(firstName));
            var one = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(firstTree), quiet, cancellationToken);
            stdout.WriteLine(string.Create(Inv, $"one changed file: {one.Elapsed.TotalMilliseconds:F0} ms ({one.FilesIndexed} file, {one.ChunksEmbedded} chunks embedded)"));

            // Undo the edit, so a kept data directory matches the corpus again (the next run re-syncs nothing).
            await File.WriteAllBytesAsync(full, target.Bytes, cancellationToken);
            _ = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(firstTree), quiet, cancellationToken);
        }

        var store = session.Services.GetRequiredService<EmbeddedStore>();
        await store.FlushAsync(cancellationToken);
        var names = repositories.Select(r => r.Name).ToList();
        var all = BenchQueries(repositories.SelectMany(r => r.Files).ToList(), queryCount + WarmupQueries);
        var queries = all.Take(queryCount).ToList();
        var warmup = all.Count > queryCount ? all.Skip(queryCount).ToList() : all.Take(1).ToList();
        stdout.WriteLine(string.Create(Inv,
            $"queries: {queries.Count} over {totalChunks} chunks in {names.Count} repositories ({(store.UsesAnnIndex ? "ANN" : "exact")} dense search{(synthetic ? ", synthetic document vectors" : string.Empty)}), after {warmup.Count} other warm-up queries per mode (not timed){LoadAverage()}"));
        var searcher = session.Client.GetGrain<ISearchGrain>(0);
        using var stages = new StageRecorder();
        // The last row asks for file results (`search --files`), which adds the file stages to hybrid+graph.
        foreach (var (mode, files) in new[] { (SearchMode.Lexical, false), (SearchMode.Dense, false), (SearchMode.HybridGraph, false), (SearchMode.HybridGraph, true) })
        {
            var latencies = new List<TimeSpan>(queries.Count);
            foreach (var q in warmup)
            {
                _ = await searcher.SearchAsync(new SearchRequest(q, names, Mode: mode, ParseInlineFilters: false, Files: files), cancellationToken);
            }

            stages.Clear();
            foreach (var q in queries)
            {
                var clock = Stopwatch.StartNew();
                _ = await searcher.SearchAsync(new SearchRequest(q, names, Mode: mode, ParseInlineFilters: false, Files: files), cancellationToken);
                latencies.Add(clock.Elapsed);
            }

            var l = RetrievalMetrics.Latency(latencies);
            var label = SearchArguments.Name(mode) + (files ? " --files" : string.Empty);
            stdout.WriteLine(string.Create(Inv, $"query {label,-20} p50 {l.P50Ms:F1} ms, p95 {l.P95Ms:F1} ms over {l.Count} queries (query embedding included)"));
            stdout.WriteLine("  stages p50/p95 ms: " + stages.Describe());
        }

        if (synthetic)
        {
            stdout.WriteLine("ANN recall@10: not measured (synthetic document vectors say nothing about recall on real ones)");
            return;
        }

        // The same vectors and queries, the index holding them at each precision (the store's is the configured one).
        var configured = store.Options.AnnPrecision;
        foreach (var precision in Enum.GetValues<AnnVectorPrecision>())
        {
            var recall = await store.MeasureAnnRecallAsync(precision: precision, cancellationToken: cancellationToken);
            stdout.WriteLine(string.Create(Inv,
                $"ANN recall@10 vs exact on the stored vectors, vectors held as {precision}: {recall:F4}{(precision == configured ? $" (configured; the store uses {(store.UsesAnnIndex ? "the ANN index" : "exact search")} at this size)" : string.Empty)}"));
        }
    }

    /// <summary>
    /// What a person at a terminal waits for: whole <c>cgr search</c> processes (hybrid+graph, default top), each started
    /// and timed to its exit, answering in-process (<c>--no-daemon</c>: silo, model and index loaded per call) and through
    /// the data directory's background server (started by one untimed call first, stopped afterwards).
    /// </summary>
    private static async Task ProcessLatencyAsync(string dataDir, List<BenchRepository> repositories, int count, TextWriter stdout, CancellationToken cancellationToken)
    {
        var queries = BenchQueries(repositories.SelectMany(r => r.Files).ToList(), count + 1);
        var repository = repositories[0].Name;
        async Task<TimeSpan> RunAsync(string query, bool daemon)
        {
            var command = Daemon.DaemonClient.CgrCommandLine();
            var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var part in command.Skip(1).Concat(["search", query, "--repo", repository, "--data-dir", dataDir]))
            {
                info.ArgumentList.Add(part);
            }

            info.Environment["CGR_DAEMON"] = daemon ? "on" : "off";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var elapsed = clock.Elapsed;
            if (process.ExitCode != 0)
            {
                throw new CliException($"bench: 'cgr search' exited with {process.ExitCode}: {(await errors).Trim()}");
            }

            _ = await output;
            return elapsed;
        }

        var cold = new List<TimeSpan>();
        foreach (var query in queries.Take(count))
        {
            cold.Add(await RunAsync(query, daemon: false));
        }

        var start = await RunAsync(queries[^1], daemon: true);
        var warm = new List<TimeSpan>();
        foreach (var query in queries.Take(count))
        {
            warm.Add(await RunAsync(query, daemon: true));
        }

        _ = await Daemon.DaemonClient.StopAsync(["--data-dir", dataDir], cancellationToken);
        var c = RetrievalMetrics.Latency(cold);
        var w = RetrievalMetrics.Latency(warm);
        stdout.WriteLine(string.Create(Inv,
            $"whole-process cgr search (hybrid+graph): in-process (--no-daemon) p50 {c.P50Ms:F0} ms, p95 {c.P95Ms:F0} ms; background server p50 {w.P50Ms:F0} ms, p95 {w.P95Ms:F0} ms over {count} queries each; the call that started the server {start.TotalMilliseconds:F0} ms"));
    }

    /// <summary>
    /// Queries run before the timed ones in each mode: other queries than the timed ones, so the JIT has tiered up the
    /// query path and shared caches hold what any query needs (the target is warm, in-process latency), while the timed
    /// queries still meet their own names for the first time.
    /// </summary>
    private const int WarmupQueries = 10;

    internal static List<string> BenchQueries(List<(string Path, byte[] Bytes)> files, int count)
    {
        string[] phrases =
        [
            "parse the command line arguments", "read a configuration file", "retry a failed network request",
            "compute a hash of the content", "open a database connection", "split a string into tokens",
            "handle an http request", "write results to a json file", "sort items by key", "check user permissions",
        ];
        var names = files.Select(f => Path.GetFileNameWithoutExtension(f.Path).Replace('_', ' ')).Distinct(StringComparer.Ordinal);
        return [.. phrases.Concat(names.Select(n => "where is " + n + " implemented")).Take(count)];
    }

    /// <summary>One corpus: its repository name, the private copy and the files copied.</summary>
    private sealed record BenchRepository(string Name, string Tree, List<(string Path, byte[] Bytes)> Files);

    private static async Task<List<(string Path, byte[] Bytes)>> CopyCorpusAsync(string corpus, string tree, int maxFiles, CancellationToken cancellationToken)
    {
        var result = new List<(string, byte[])>();
        await using var snapshot = new WorkingTreeSnapshot(corpus);
        await foreach (var entry in snapshot.EnumerateAsync(cancellationToken))
        {
            if (!entry.IsCandidate || entry.IsDirectory)
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = await snapshot.ReadAsync(entry, cancellationToken);
            }
            catch (SourceReadException)
            {
                continue;
            }

            var target = Path.Combine(tree, entry.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, bytes, cancellationToken);
            result.Add((entry.Path, bytes));
            if (result.Count >= maxFiles)
            {
                break;
            }
        }

        return result;
    }
}
