using System.Diagnostics;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Sources;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary>What <c>cgr bench --fleet N</c> was asked for.</summary>
/// <param name="Size">Repositories in the fleet.</param>
/// <param name="MaxFilesPerRepository">The file cap of one repository (<c>--files</c>); larger packages are split.</param>
/// <param name="Corpora">The <c>--corpus</c> roots whose sub-folders are the packages (empty: this machine's source trees).</param>
/// <param name="QueryCount">Timed queries per scope.</param>
/// <param name="EmbedSample">Chunks embedded with the real model to extrapolate real-vector cost (0: not measured).</param>
/// <param name="Synthetic">Document vectors are synthetic.</param>
/// <param name="DataDirectory">The data directory; the fleet's trees go to its <c>fleet</c> folder.</param>
internal sealed record FleetBenchSettings(int Size, int MaxFilesPerRepository, IReadOnlyList<string> Corpora, int QueryCount, int EmbedSample, bool Synthetic, string DataDirectory);

/// <summary>
/// <c>cgr bench --fleet N</c>: indexes a fleet of N repositories (<see cref="FleetBuilder"/>) into one store, bases
/// first and then forks, <see cref="ConcurrentSyncs"/> repositories at a time, and measures what an enterprise install
/// lives with: index time and embedding reuse, hybrid+graph query latency over every repository, for a caller allowed
/// <see cref="AclShare"/> of them and inside one, the time from a one-file push to a lexical hit, catalog listing and
/// status, memory and disk per million chunks.
/// </summary>
internal static class FleetBench
{
    /// <summary>Repositories synced at once, like several pushes reaching a server together.</summary>
    public const int ConcurrentSyncs = 4;

    /// <summary>Share of the fleet an ACL-restricted caller may read.</summary>
    public const double AclShare = 0.05;

    /// <summary>Small repositories pushed at once in the fairness measurement.</summary>
    public const int FairnessSmallRepositories = 20;

    /// <summary>Files of the big repository in the fairness measurement (the issue's "new 2,000-file repository").</summary>
    public const int FairnessBigFiles = 2_000;

    private const int PushSamples = 5;
    private const int WarmupQueries = 10;
    private static readonly TimeSpan PushTimeout = TimeSpan.FromMinutes(2);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds or reuses the fleet, indexes it, measures it and returns the <c>fleet</c> section.</summary>
    public static async Task<(FleetDocument Fleet, IReadOnlyList<EmbeddingBenchDocument>? Embedding)> RunAsync(
        EmbeddedSession session, FleetBenchSettings settings, TextWriter stdout, CancellationToken cancellationToken)
    {
        var workDirectory = Path.Combine(settings.DataDirectory, "fleet");
        var built = Stopwatch.StartNew();
        var fleet = await FleetBuilder.BuildAsync(settings.Size, settings.MaxFilesPerRepository, settings.Corpora, workDirectory, cancellationToken);
        stdout.WriteLine(string.Create(Inv, $"fleet: {fleet.Description}; trees {(fleet.TreesReused ? "reused" : "written")} in {built.Elapsed.TotalSeconds:F1}s"));
        stdout.WriteLine("fleet: branches not measured: a branch (SyncRequest.Branch) only picks what a git URL source follows, it is not part of a repository's identity, so a second branch is another repository name");

        IReadOnlyList<EmbeddingBenchDocument>? embedding = null;
        if (settings.EmbedSample > 0)
        {
            var texts = SampleTexts(session.Services.GetRequiredService<ICodeParser>(), fleet, settings.EmbedSample, cancellationToken);
            (embedding, _) = await BenchCommand.EmbeddingBenchmarkAsync(session, texts, null, settings.DataDirectory, stdout, cancellationToken);
        }

        var catalog = session.Services.GetRequiredService<IRepositoryCatalog>();
        var names = fleet.Repositories.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var known = (await catalog.ListRepositoriesAsync(cancellationToken)).Select(r => r.Name).ToList();
        foreach (var stale in known.Where(n => !names.Contains(n)))
        {
            await session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(stale)).RemoveAsync();
        }

        var existing = known.Count(names.Contains);
        var kind = existing == 0 ? "cold" : existing == names.Count ? "re-sync" : "mixed";
        var index = await IndexAsync(session, fleet, stdout, cancellationToken);
        var store = session.Services.GetRequiredService<EmbeddedStore>();
        // The dense index follows the writes lazily: a bulk index with no search meanwhile is added to it here, at once.
        var caughtUp = Stopwatch.StartNew();
        await store.FlushAsync(cancellationToken);
        var catchUpS = Math.Round(caughtUp.Elapsed.TotalSeconds, 2);
        stdout.WriteLine(string.Create(Inv, $"fleet: dense index brought up to date and saved in {catchUpS:F1}s after the syncs (not in index_s; {(store.UsesAnnIndex ? "ANN index" : "exact search")})"));
        double? avoided = index.Written > 0 ? Math.Round(1 - ((double)index.Embedded / index.Written), 4) : null;
        stdout.WriteLine(string.Create(Inv,
            $"fleet {kind} index: {fleet.Repositories.Count} repositories in {index.Seconds:F1}s ({ConcurrentSyncs} at a time; bases, then forks): {index.FilesIndexed} files indexed, {index.FilesUnchanged} unchanged, {index.Failed} failed syncs; {index.Written} chunks written = {index.Written / index.Seconds:F0} chunks/s, {index.Embedded} embedded; embeddings avoided {(avoided is { } a ? a.ToString("P1", Inv) : "n/a (nothing written)")} (bases {Ratio(index.BaseWritten, index.BaseEmbedded)}, forks {Ratio(index.ForkWritten, index.ForkEmbedded)})"));

        var rate = embedding?.FirstOrDefault()?.ChunksPerS;
        double? extrapolated = settings.Synthetic && rate is > 0 ? Math.Round(index.Embedded / rate.Value, 1) : null;
        stdout.WriteLine(!settings.Synthetic
            ? "real vectors: measured (the index above embedded with the model)"
            : extrapolated is { } e
                ? string.Create(Inv, $"real vectors: EXTRAPOLATED, not measured: {index.Embedded} chunks to embed at the measured {rate:F1} chunks/s = {e:F0}s ({e / 3600:F2} h) of model time on top of index_s")
                : "real vectors: not extrapolated (no embedding rate measured; --embed 0)");

        var (catalogMs, files, chunks) = await CatalogAsync(catalog, fleet, cancellationToken);
        stdout.WriteLine(string.Create(Inv,
            $"catalog: list {fleet.Repositories.Count} repositories {catalogMs.List:F1} ms; status of all (repository + stats each, as cgr status) {catalogMs.StatusAll:F1} ms = {catalogMs.StatusAll / fleet.Repositories.Count:F2} ms per repository; {files} files, {chunks} chunks indexed"));

        var (all, acl, repo) = await QueriesAsync(session, fleet, settings, stdout, cancellationToken);
        var push = await PushToSearchableAsync(session, fleet, stdout, cancellationToken);
        var fairness = await FairnessAsync(session, fleet, workDirectory, stdout, cancellationToken);
        await store.FlushAsync(cancellationToken);

        var rssMb = Math.Round(Environment.WorkingSet / 1e6, 1);
        var models = Path.Combine(settings.DataDirectory, "models");
        var diskMb = Math.Round((DirectorySize(settings.DataDirectory, exclude: workDirectory) - DirectorySize(models, exclude: null)) / 1e6, 1);
        var treesMb = DirectorySize(workDirectory, exclude: null) / 1e6;
        double? PerMillion(double value) => chunks > 0 ? Math.Round(value / (chunks / 1e6), 1) : null;
        stdout.WriteLine(string.Create(Inv,
            $"memory: RSS {rssMb:F0} MB (peak {PeakRssMb():F0} MB) = {PerMillion(rssMb)} MB per million chunks; disk: data directory {diskMb:F0} MB without the fleet's source trees ({treesMb:F0} MB) and prepared models = {PerMillion(diskMb)} MB per million chunks"));
        var memory = MeasureMemory();
        stdout.WriteLine(string.Create(Inv,
            $"memory detail ({memory.GcMode} GC): RSS anonymous {memory.RssAnonMb:F0} MB, file-backed {memory.RssFileMb:F0} MB; GC heap {memory.GcHeapMb:F0} MB ({memory.GcCommittedMb:F0} MB committed); after a full compacting collection: GC heap {memory.GcHeapAfterFullGcMb:F0} MB ({memory.GcCommittedAfterFullGcMb:F0} MB committed), RSS {memory.RssAfterFullGcMb:F0} MB (anonymous {memory.RssAnonAfterFullGcMb:F0} MB)"));

        var document = new FleetDocument(
            fleet.Repositories.Count, fleet.Forks, files, chunks, Math.Round(index.Seconds, 2), kind, Math.Round(index.Written / index.Seconds, 1),
            index.Written, index.Embedded, avoided, all, acl, repo, push, catalogMs,
            rssMb, diskMb, PerMillion(rssMb), PerMillion(diskMb), settings.Synthetic ? "synthetic" : "real", extrapolated, memory, fairness, catchUpS);
        return (document, embedding);
    }

    private static string Ratio(long written, long embedded) => written > 0 ? (1 - ((double)embedded / written)).ToString("P1", Inv) : "n/a";

    /// <summary>Totals of the fleet's syncs.</summary>
    private sealed record IndexTotals(
        double Seconds, long FilesIndexed, long FilesUnchanged, int Failed, long Written, long Embedded, long BaseWritten, long BaseEmbedded, long ForkWritten, long ForkEmbedded);

    private static async Task<IndexTotals> IndexAsync(EmbeddedSession session, Fleet fleet, TextWriter stdout, CancellationToken cancellationToken)
    {
        var quiet = ProgressRenderer.Create(TextWriter.Null, forcePlain: true);
        var results = new SyncProgress[fleet.Repositories.Count];
        var done = 0;
        var step = Math.Max(1, fleet.Repositories.Count / 10);
        var clock = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentSyncs, CancellationToken = cancellationToken };
        var indexed = fleet.Repositories.Select((r, i) => (Repository: r, Index: i)).ToList();
        // Bases first, then forks: a fork is made from a base that exists, so its base's vectors are in the cache.
        foreach (var phase in new[] { indexed.Where(r => r.Repository.ForkOf is null), indexed.Where(r => r.Repository.ForkOf is not null) })
        {
            await Parallel.ForEachAsync(phase, options, async (item, ct) =>
            {
                var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(item.Repository.Name));
                results[item.Index] = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(item.Repository.Tree), quiet, ct);
                if (results[item.Index].Phase != SyncPhase.Completed)
                {
                    stdout.WriteLine($"fleet: sync of '{item.Repository.Name}' ended {results[item.Index].Phase}: {results[item.Index].Error}");
                }

                var count = Interlocked.Increment(ref done);
                if (count % step == 0)
                {
                    stdout.WriteLine(string.Create(Inv, $"fleet: {count}/{fleet.Repositories.Count} repositories synced in {clock.Elapsed.TotalSeconds:F0}s"));
                }
            });
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var pairs = fleet.Repositories.Zip(results).ToList();
        long Sum(bool? fork, Func<SyncProgress, long> value) => pairs.Where(p => fork is null || (p.First.ForkOf is not null) == fork).Sum(p => value(p.Second));
        return new IndexTotals(
            seconds, Sum(null, p => p.FilesIndexed), Sum(null, p => p.FilesUnchanged), results.Count(r => r.Phase != SyncPhase.Completed),
            Sum(null, p => p.ChunksWritten), Sum(null, p => p.ChunksEmbedded), Sum(false, p => p.ChunksWritten), Sum(false, p => p.ChunksEmbedded),
            Sum(true, p => p.ChunksWritten), Sum(true, p => p.ChunksEmbedded));
    }

    /// <summary>Lists the repositories, then reads each one's status as <c>cgr status</c> does (one untimed pass first).</summary>
    private static async Task<(FleetCatalogDocument Ms, long Files, long Chunks)> CatalogAsync(IRepositoryCatalog catalog, Fleet fleet, CancellationToken cancellationToken)
    {
        long files = 0, chunks = 0;
        double listMs = 0, statusMs = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var clock = Stopwatch.StartNew();
            var listed = await catalog.ListRepositoriesAsync(cancellationToken);
            listMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            files = chunks = 0;
            foreach (var repository in listed)
            {
                _ = await catalog.GetRepositoryAsync(repository.Name, cancellationToken);
                var stats = await catalog.GetStatsAsync(repository.Name, cancellationToken);
                files += stats.Files.GetValueOrDefault(FileStatus.Indexed);
                chunks += stats.Chunks;
            }

            statusMs = clock.Elapsed.TotalMilliseconds;
        }

        return (new FleetCatalogDocument(Math.Round(listMs, 2), Math.Round(statusMs, 2)), files, chunks);
    }

    private static async Task<(PercentilesDocument All, PercentilesDocument Acl, PercentilesDocument Repo)> QueriesAsync(
        EmbeddedSession session, Fleet fleet, FleetBenchSettings settings, TextWriter stdout, CancellationToken cancellationToken)
    {
        var files = fleet.Repositories.Where(r => r.ForkOf is null).SelectMany(r => r.Files.Select(f => (f, Array.Empty<byte>()))).ToList();
        var queries = BenchCommand.BenchQueries(files, settings.QueryCount + WarmupQueries);
        var timed = queries.Take(settings.QueryCount).ToList();
        var warmup = queries.Count > settings.QueryCount ? queries.Skip(settings.QueryCount).ToList() : queries.Take(1).ToList();
        var ordered = fleet.Repositories.Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
        var aclCount = Math.Max(1, (int)Math.Round(ordered.Count * AclShare));
        var allowed = ordered.Where((_, i) => i % (ordered.Count / aclCount) == 0).Take(aclCount).ToList();
        var one = fleet.Repositories.OrderByDescending(r => r.Files.Count).ThenBy(r => r.Name, StringComparer.Ordinal).First().Name;
        var searcher = session.Client.GetGrain<ISearchGrain>(0);
        using var stages = new StageRecorder();
        var scopes = new (string Label, Func<string, SearchRequest> Request)[]
        {
            ("all repositories", q => new SearchRequest(q, ParseInlineFilters: false)),
            (string.Create(Inv, $"ACL of {allowed.Count} repositories ({AclShare:P0})"), q => new SearchRequest(q, ParseInlineFilters: false, AllowedRepositories: allowed)),
            ($"one repository ({one})", q => new SearchRequest(q, [one], ParseInlineFilters: false)),
        };
        var results = new List<PercentilesDocument>();
        foreach (var (label, request) in scopes)
        {
            foreach (var q in warmup)
            {
                _ = await searcher.SearchAsync(request(q), cancellationToken);
            }

            stages.Clear();
            var latencies = new List<TimeSpan>(timed.Count);
            foreach (var q in timed)
            {
                var clock = Stopwatch.StartNew();
                _ = await searcher.SearchAsync(request(q), cancellationToken);
                latencies.Add(clock.Elapsed);
            }

            var l = RetrievalMetrics.Latency(latencies);
            stdout.WriteLine(string.Create(Inv,
                $"query hybrid+graph, {label}: p50 {l.P50Ms:F1} ms, p95 {l.P95Ms:F1} ms over {l.Count} queries (after {warmup.Count} other warm-up queries; query embedding included)"));
            stdout.WriteLine("  stages p50/p95 ms: " + stages.Describe());
            results.Add(new PercentilesDocument(Math.Round(l.P50Ms, 2), Math.Round(l.P95Ms, 2)));
        }

        return (results[0], results[1], results[2]);
    }

    /// <summary>
    /// Edits one file of a random repository (a new function named by a unique token), syncs that repository and times
    /// until a lexical search for the token finds the file; then restores the file and syncs again.
    /// </summary>
    private static async Task<PercentilesDocument?> PushToSearchableAsync(EmbeddedSession session, Fleet fleet, TextWriter stdout, CancellationToken cancellationToken)
    {
        var random = new Random(17);
        var searcher = session.Client.GetGrain<ISearchGrain>(0);
        var quiet = ProgressRenderer.Create(TextWriter.Null, forcePlain: true);
        var samples = new List<TimeSpan>();
        var candidates = fleet.Repositories.Where(r => r.Files.Any(Editable)).ToList();
        for (var sample = 0; sample < PushSamples && candidates.Count > 0; sample++)
        {
            var repository = candidates[random.Next(candidates.Count)];
            var editable = repository.Files.Where(Editable).ToList();
            var path = editable[random.Next(editable.Count)];
            var full = Path.Combine(repository.Tree, path);
            var original = await File.ReadAllBytesAsync(full, cancellationToken);
            // Letters only, so every tokenizer keeps it one token; new per run, so an earlier run's index cannot answer.
            var token = "cgrpush" + new string([.. Guid.NewGuid().ToString("N")[..12].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16)))]);
            var addition = path.EndsWith(".py", StringComparison.Ordinal)
                ? $"\n\ndef {token}(value):\n    return value\n"
                : $"\nexport function {token}(value) {{\n  return value;\n}}\n";
            var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository.Name));
            try
            {
                await File.AppendAllTextAsync(full, addition, cancellationToken);
                var clock = Stopwatch.StartNew();
                _ = await grain.StartSyncAsync(new SyncRequest(repository.Tree));
                var found = false;
                while (!found && clock.Elapsed < PushTimeout)
                {
                    var response = await searcher.SearchAsync(new SearchRequest(token, [repository.Name], Mode: SearchMode.Lexical, ParseInlineFilters: false), cancellationToken);
                    // The new chunk itself: the file may already match the token's sub-words (e.g. "push") before the sync.
                    found = response.Hits.Any(h => h.Path == path && h.Text.Contains(token, StringComparison.Ordinal));
                    if (!found)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                    }
                }

                if (found)
                {
                    samples.Add(clock.Elapsed);
                }
                else
                {
                    stdout.WriteLine($"push to searchable: '{token}' in {repository.Name}/{path} not found within {PushTimeout.TotalSeconds:F0}s");
                }

                _ = await IndexCommand.FollowSyncAsync(grain, new SyncRequest(repository.Tree), _ => { }, cancellationToken);
            }
            finally
            {
                await File.WriteAllBytesAsync(full, original, CancellationToken.None);
                _ = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(repository.Tree), quiet, CancellationToken.None);
            }
        }

        if (samples.Count == 0)
        {
            return null;
        }

        var l = RetrievalMetrics.Latency(samples);
        stdout.WriteLine(string.Create(Inv,
            $"push to searchable (one file of one repository changed, that repository synced, until a lexical search finds the new token; fleet idle): p50 {l.P50Ms:F0} ms, p95 {l.P95Ms:F0} ms over {l.Count} pushes"));
        return new PercentilesDocument(Math.Round(l.P50Ms, 1), Math.Round(l.P95Ms, 1));
    }

    /// <summary>
    /// Whether one big repository starves small ones: <see cref="FairnessSmallRepositories"/> small repositories (copies of
    /// the fleet's smallest bases under new names, so every file is new to them) are pushed at once, first on an idle
    /// fleet, then while a new repository of up to <see cref="FairnessBigFiles"/> files (the largest bases' trees side by
    /// side) is in its file phase. Each small sync is timed from its start to completion; the big one's time to searchable
    /// and to completion is reported too. The copies are removed afterwards.
    /// </summary>
    private static async Task<FleetFairnessDocument?> FairnessAsync(EmbeddedSession session, Fleet fleet, string workDirectory, TextWriter stdout, CancellationToken cancellationToken)
    {
        var bases = fleet.Repositories.Where(r => r.ForkOf is null).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var smalls = bases.OrderBy(r => r.Files.Count).ThenBy(r => r.Name, StringComparer.Ordinal).Take(Math.Min(FairnessSmallRepositories, bases.Count / 2)).ToList();
        if (smalls.Count == 0)
        {
            return null;
        }

        var root = Path.Combine(workDirectory, "fairness");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        // The big repository: the largest other bases' trees, each in its own folder, up to FairnessBigFiles files.
        var bigTree = Path.Combine(root, "big");
        var bigFiles = 0;
        foreach (var part in bases.Except(smalls).OrderByDescending(r => r.Files.Count).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            foreach (var file in part.Files.Take(FairnessBigFiles - bigFiles))
            {
                var target = Path.Combine(bigTree, part.Name, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(part.Tree, file), target);
                bigFiles++;
            }

            if (bigFiles >= FairnessBigFiles)
            {
                break;
            }
        }

        var quiet = ProgressRenderer.Create(TextWriter.Null, forcePlain: true);
        IRepositoryGrain Grain(string name) => session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name));
        var names = new List<string>();
        async Task<List<TimeSpan>> PushSmallsAsync(string round)
        {
            var copies = smalls.Select((_, i) => $"fairness-{round}-{i}").ToList();
            names.AddRange(copies);
            var times = await Task.WhenAll(smalls.Zip(copies, async (small, copy) =>
            {
                var clock = Stopwatch.StartNew();
                var result = await IndexCommand.SyncOnceAsync(Grain(copy), new SyncRequest(small.Tree), quiet, cancellationToken);
                if (result.Phase != SyncPhase.Completed)
                {
                    throw new CliException($"bench --fleet: fairness sync of a copy of '{small.Name}' ended {result.Phase}: {result.Error}");
                }

                return clock.Elapsed;
            }));
            return [.. times];
        }

        try
        {
            var alone = await PushSmallsAsync("alone");

            var big = Grain("fairness-big");
            names.Add("fairness-big");
            _ = await big.StartSyncAsync(new SyncRequest(bigTree));
            // Into its file phase: the smalls arrive while the big repository's files are being parsed and written.
            var started = Stopwatch.StartNew();
            while ((await big.GetProgressAsync()) is { FilesProcessed: 0, IsFinished: false } && started.Elapsed < PushTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }

            var beside = await PushSmallsAsync("beside");
            var bigAtSmallsDone = await big.GetProgressAsync();
            // This sync's own outcome (following it anew would start another sync once it has finished).
            var bigResult = bigAtSmallsDone;
            while (!bigResult.IsFinished)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                bigResult = await big.GetProgressAsync();
            }

            if (bigResult.Phase != SyncPhase.Completed)
            {
                throw new CliException($"bench --fleet: fairness sync of the big repository ended {bigResult.Phase}: {bigResult.Error}");
            }

            var a = RetrievalMetrics.Latency(alone);
            var b = RetrievalMetrics.Latency(beside);
            var stillRunning = !bigAtSmallsDone.IsFinished;
            stdout.WriteLine(string.Create(Inv,
                $"fairness: {smalls.Count} small repositories ({smalls.Sum(r => r.Files.Count)} files) pushed at once: each synced in p50 {a.P50Ms:F0} ms, max {alone.Max().TotalMilliseconds:F0} ms on the idle fleet; "
                + $"p50 {b.P50Ms:F0} ms, max {beside.Max().TotalMilliseconds:F0} ms beside a new {bigFiles}-file repository ({bigResult.ChunksWritten} chunks) "
                + $"{(stillRunning ? $"still syncing when the last small one finished ({bigAtSmallsDone.FilesProcessed}/{bigAtSmallsDone.FilesToProcess} files)" : "that finished first")}; "
                + $"the big one searchable after {bigResult.SearchableAfter?.TotalSeconds:F1}s, completed after {bigResult.Elapsed.TotalSeconds:F1}s"));
            return new FleetFairnessDocument(
                smalls.Count, new PercentilesDocument(Math.Round(a.P50Ms, 1), Math.Round(a.P95Ms, 1)), Math.Round(alone.Max().TotalMilliseconds, 1),
                new PercentilesDocument(Math.Round(b.P50Ms, 1), Math.Round(b.P95Ms, 1)), Math.Round(beside.Max().TotalMilliseconds, 1),
                bigFiles, bigResult.ChunksWritten, stillRunning, bigResult.SearchableAfter is { } searchable ? Math.Round(searchable.TotalSeconds, 2) : null,
                Math.Round(bigResult.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            foreach (var name in names)
            {
                await Grain(name).RemoveAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Editable(string path)
        => path.EndsWith(".py", StringComparison.Ordinal) || path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal);

    /// <summary>Embedding texts of the first base repositories' chunks, up to <paramref name="count"/>, mixed in length.</summary>
    private static List<string> SampleTexts(ICodeParser parser, Fleet fleet, int count, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        foreach (var repository in fleet.Repositories.Where(r => r.ForkOf is null))
        {
            foreach (var path in repository.Files)
            {
                if (TextDecoder.TryDecode(File.ReadAllBytes(Path.Combine(repository.Tree, path)), out var text, out _))
                {
                    var parsed = parser.Parse(path, text, cancellationToken);
                    texts.AddRange(parsed.Chunks.Select(c => ChunkRecordBuilder.EmbeddingText(path, c.SymbolPath, c.Signature, c.Text)));
                }

                if (texts.Count >= count * 4)
                {
                    var random = new Random(7);
                    return [.. texts.OrderBy(_ => random.Next()).Take(count)];
                }
            }
        }

        var shuffle = new Random(7);
        return [.. texts.OrderBy(_ => shuffle.Next()).Take(count)];
    }

    private static long DirectorySize(string folder, string? exclude)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        long total = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (exclude is null || !file.StartsWith(exclude + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                try
                {
                    total += new FileInfo(file).Length;
                }
                catch (IOException)
                {
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The memory breakdown after the run (<see cref="FleetMemoryDocument"/>): RSS by kind and the GC heap as left, then a
    /// full blocking compacting collection (large-object heap included) and the same figures again.
    /// </summary>
    private static FleetMemoryDocument MeasureMemory()
    {
        static double Mb(long bytes) => Math.Round(bytes / 1e6, 1);
        var mode = (System.Runtime.GCSettings.IsServerGC ? "server" : "workstation") + (GCConcurrent() ? ", concurrent" : string.Empty);
        var (anon, file) = RssKinds();
        var before = GC.GetGCMemoryInfo(GCKind.Any);
        var heap = Mb(GC.GetTotalMemory(forceFullCollection: false));
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var afterHeap = Mb(GC.GetTotalMemory(forceFullCollection: false));
        var after = GC.GetGCMemoryInfo(GCKind.Any);
        var (anonAfter, _) = RssKinds();
        return new FleetMemoryDocument(
            mode, anon, file, heap, Mb(before.TotalCommittedBytes), afterHeap, Mb(after.TotalCommittedBytes), Math.Round(Environment.WorkingSet / 1e6, 1), anonAfter);

        static bool GCConcurrent() => AppContext.TryGetSwitch("System.GC.Concurrent", out var on) ? on : true;
    }

    /// <summary>Anonymous and file-backed resident MB (RssAnon, RssFile of /proc/self/status), or nulls off Linux.</summary>
    private static (double? Anon, double? File) RssKinds()
    {
        try
        {
            if (!File.Exists("/proc/self/status"))
            {
                return (null, null);
            }

            double? anon = null, file = null;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[0] is "RssAnon:" or "RssFile:")
                {
                    var mb = Math.Round(long.Parse(parts[1], Inv) * 1024 / 1e6, 1);
                    if (parts[0] == "RssAnon:")
                    {
                        anon = mb;
                    }
                    else
                    {
                        file = mb;
                    }
                }
            }

            return (anon, file);
        }
        catch (IOException)
        {
            return (null, null);
        }
    }

    /// <summary>The process's peak resident set (VmHWM) where the OS reports it, else the current one.</summary>
    private static double PeakRssMb()
    {
        try
        {
            var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
            return line is null ? Environment.WorkingSet / 1e6 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) * 1024 / 1e6;
        }
        catch (IOException)
        {
            return Environment.WorkingSet / 1e6;
        }
    }
}
