// The load driver of scripts/soak.sh (docs/benchmarks.md, "Sustained load"); the script starts the cluster and runs:
//   dotnet run -c Release scripts/soak.cs -- --servers <url>,<url> --read-key <key> --admin-key <key> --repository <name>
//     --tree <dir> --seconds <n> --events <file> --pids <pid>,<pid> [--clients 8] [--grace 30] [--deadline 60]
// --clients clients each loop a weighted mix of Search (every mode), GetContext, GetSymbolNeighbors and Status, one call at
// a time with a deadline (a closed loop); one more loop edits a few files of --tree (the registered copy of the corpus)
// and syncs it with the admin key, round after round. Only UNAVAILABLE is retried, once, on the next server, and then
// the client backs off: the calls are reads (Sync starts or joins the one sync), and UNAVAILABLE is the transient status
// the server documents for a silo that is gone (src/CodeGraphRag.Server/README.md). The script
// writes "kill <unix ms>" and "ready <unix ms>" to --events when it kills a silo and when the restarted one is ready;
// UNAVAILABLE failures from a kill to its silo's readiness plus --grace seconds are the window of the killed silo, every
// other failure is an error. RSS is summed over --pids (the silos that live through the run) when the timed phase
// starts and when it ends. Prints details, then one line:
//   soak: N requests, N errors, p95 N ms, rss start N MB end N MB
// and exits 1 when there were errors.
#:project ../src/CodeGraphRag.Api.Contracts/CodeGraphRag.Api.Contracts.csproj
using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = CodeGraphRag.Api.V1;

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"soak: {ex.Message} (usage: see the header of scripts/soak.cs; scripts/soak.sh runs it)");
    return 2;
}

var clock = TimeProvider.System;
var symbols = new SymbolPool();
var readers = Enumerable.Range(0, options.Clients).Select(i => new SoakClient(options, options.ReadKey, i, symbols, clock)).ToList();
using var syncer = new SoakClient(options, options.AdminKey, options.Clients, symbols, clock);

// Warm-up: every RPC and search mode once per client, so that the RSS baseline is taken with the query paths loaded.
var warmUp = new ConcurrentQueue<CallRecord>();
await Task.WhenAll(readers.Select(r => r.WarmUpAsync(warmUp)));
foreach (var failed in warmUp.Where(c => c.Status != StatusCode.OK).Take(1))
{
    Console.Error.WriteLine($"soak: warm-up failed: {failed.Rpc} {failed.Status}: {failed.Detail}");
    return 2;
}

var started = clock.GetUtcNow();
var end = started.AddSeconds(options.Seconds);
var rss = new RssSampler(options.Pids);
rss.Sample();
File.AppendAllText(options.Events, $"start {started.ToUnixTimeMilliseconds()}\n");
var calls = new ConcurrentQueue<CallRecord>();
using var sampling = new CancellationTokenSource();
var sampler = rss.RunAsync(TimeSpan.FromSeconds(10), clock, sampling.Token);
var editor = new TreeEditor(options.Tree);
await Task.WhenAll(readers.Select(r => r.RunQueriesAsync(end, calls)).Append(syncer.RunSyncsAsync(end, editor, calls)));
var finished = clock.GetUtcNow();
await sampling.CancelAsync();
await sampler;
rss.Sample();
foreach (var reader in readers)
{
    reader.Dispose();
}

return Report.Print(options, calls.ToList(), KillWindow.Read(options.Events, options.Grace), rss, started, finished, editor.Rounds);

/// <summary>Command-line options of the driver (see the header).</summary>
internal sealed record SoakOptions(
    IReadOnlyList<Uri> Servers, string ReadKey, string AdminKey, string Repository, string Tree, int Seconds, string Events,
    IReadOnlyList<int> Pids, int Clients, TimeSpan Grace, TimeSpan Deadline)
{
    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new SoakOptions(
            Required("servers").Split(',').Select(s => new Uri(s)).ToList(),
            Required("read-key"),
            Required("admin-key"),
            Required("repository"),
            Required("tree"),
            Number("seconds", 60),
            Required("events"),
            Required("pids").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList(),
            Number("clients", 8),
            TimeSpan.FromSeconds(Number("grace", 30)),
            TimeSpan.FromSeconds(Number("deadline", 60)));
    }
}

/// <summary>One call: what, when it ended (unix ms), how long it took, and its status.</summary>
internal readonly record struct CallRecord(string Rpc, long EndedMs, double LatencyMs, StatusCode Status, string? Detail);

/// <summary>Symbols seen in search hits, for GetSymbolNeighbors (bounded; thread-safe).</summary>
internal sealed class SymbolPool
{
    private const int Capacity = 500;
    private readonly List<V1.SymbolRef> _symbols = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(IEnumerable<V1.SearchHit> hits)
    {
        lock (_lock)
        {
            foreach (var hit in hits.Where(h => h.Symbol.Length > 0))
            {
                if (_symbols.Count < Capacity && _keys.Add($"{hit.Repository}\n{hit.Path}\n{hit.Symbol}"))
                {
                    _symbols.Add(new V1.SymbolRef { Repository = hit.Repository, Path = hit.Path, Symbol = hit.Symbol });
                }
            }
        }
    }

    public V1.SymbolRef? Pick(Random random)
    {
        lock (_lock)
        {
            return _symbols.Count == 0 ? null : _symbols[random.Next(_symbols.Count)];
        }
    }
}

/// <summary>
/// One client: its own connection to every server, a home server (spread by index), and a seeded random mix of calls.
/// </summary>
internal sealed class SoakClient : IDisposable
{
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private static readonly string[] Queries =
    [
        "where are secrets removed before indexing", "reciprocal rank fusion of dense and lexical results",
        "how does a sync resume after the silo dies", "parse a file with tree-sitter and extract symbols",
        "write chunks and vectors in one sqlite transaction", "api key authentication handler",
        "embedding batch size and onnx session", "graph expansion callers callees",
        "SearchGrain", "RepositoryGrain.StartSyncAsync",
        "ContextPacker.Pack token budget", "`ClusterFaults.IsUnavailable`",
        "git mirror fetch branch", "webhook signature verification",
        "query log feedback triples", "allowed roots path check",
    ];

    private static readonly V1.SearchMode[] Modes =
    [
        V1.SearchMode.Unspecified, V1.SearchMode.Lexical, V1.SearchMode.Dense, V1.SearchMode.Hybrid, V1.SearchMode.HybridGraph,
    ];

    private readonly SoakOptions _options;
    private readonly Metadata _headers;
    private readonly SymbolPool _symbols;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly GrpcChannel[] _channels;
    private readonly V1.CodeGraphRag.CodeGraphRagClient[] _clients;
    private readonly DateTimeOffset[] _downUntil;
    private readonly int _home;
    private TimeSpan _backoff = FirstBackoff;

    public SoakClient(SoakOptions options, string key, int index, SymbolPool symbols, TimeProvider clock)
    {
        _options = options;
        _headers = new Metadata { { "x-api-key", key } };
        _symbols = symbols;
        _clock = clock;
        _random = new Random(index);
        _home = index % options.Servers.Count;
        _channels = options.Servers.Select(s => GrpcChannel.ForAddress(s, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), EnableMultipleHttp2Connections = true },
        })).ToArray();
        _clients = _channels.Select(c => new V1.CodeGraphRag.CodeGraphRagClient(c)).ToArray();
        _downUntil = new DateTimeOffset[_channels.Length];
    }

    public async Task WarmUpAsync(ConcurrentQueue<CallRecord> calls)
    {
        for (var server = 0; server < _clients.Length; server++)
        {
            foreach (var mode in Modes)
            {
                await SearchAsync(calls, mode, server);
            }

            await ContextAsync(calls, server);
            await NeighborsAsync(calls, server);
            await StatusAsync(calls, server);
        }
    }

    public async Task RunQueriesAsync(DateTimeOffset end, ConcurrentQueue<CallRecord> calls)
    {
        while (_clock.GetUtcNow() < end)
        {
            // Weights: Search 50 %, GetSymbolNeighbors 25 %, GetContext 15 %, Status 10 %.
            var pick = _random.Next(100);
            await (pick switch
            {
                < 50 => SearchAsync(calls, Modes[_random.Next(Modes.Length)]),
                < 75 => NeighborsAsync(calls),
                < 90 => ContextAsync(calls),
                _ => StatusAsync(calls),
            });
        }
    }

    public async Task RunSyncsAsync(DateTimeOffset end, TreeEditor editor, ConcurrentQueue<CallRecord> calls)
    {
        while (_clock.GetUtcNow() < end)
        {
            editor.EditNextFiles(5);
            await CallAsync(calls, "Sync", async (client, options) =>
            {
                using var sync = client.Sync(new V1.SyncRequest { Repository = _options.Repository }, options);
                V1.SyncProgress? last = null;
                await foreach (var progress in sync.ResponseStream.ReadAllAsync())
                {
                    last = progress;
                }

                return last?.Phase == V1.SyncPhase.Completed
                    ? last
                    : throw new RpcException(new Status(StatusCode.Unknown, $"the sync stream ended in phase {last?.Phase}"));
            }, deadline: TimeSpan.FromMinutes(10));
            await Task.Delay(TimeSpan.FromSeconds(5), _clock);
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private async Task SearchAsync(ConcurrentQueue<CallRecord> calls, V1.SearchMode mode, int? server = null)
    {
        var request = new V1.SearchRequest { Query = Query(), Mode = mode, TopK = 10, Files = _random.Next(5) == 0 };
        if (_random.Next(2) == 0)
        {
            request.Filters = new V1.SearchFilters { Repositories = { _options.Repository } };
        }

        var response = await CallAsync(calls, "Search", (client, options) => client.SearchAsync(request, options).ResponseAsync, server);
        if (response is not null)
        {
            _symbols.Add(response.Hits);
        }
    }

    private Task ContextAsync(ConcurrentQueue<CallRecord> calls, int? server = null)
    {
        var request = new V1.GetContextRequest { Query = Query(), TokenBudget = 2000 + _random.Next(3) * 1000, Mode = Modes[_random.Next(Modes.Length)] };
        return CallAsync(calls, "GetContext", (client, options) => client.GetContextAsync(request, options).ResponseAsync, server);
    }

    private Task NeighborsAsync(ConcurrentQueue<CallRecord> calls, int? server = null)
    {
        if (_symbols.Pick(_random) is not { } symbol)
        {
            return SearchAsync(calls, V1.SearchMode.HybridGraph, server);
        }

        var request = new V1.GetSymbolNeighborsRequest { Symbol = symbol, Depth = 1 + _random.Next(2) };
        return CallAsync(calls, "GetSymbolNeighbors", (client, options) => client.GetSymbolNeighborsAsync(request, options).ResponseAsync, server);
    }

    private Task StatusAsync(ConcurrentQueue<CallRecord> calls, int? server = null)
    {
        var request = new V1.StatusRequest { Repository = _options.Repository };
        return CallAsync(calls, "Status", (client, options) => client.StatusAsync(request, options).ResponseAsync, server);
    }

    private string Query() => Queries[_random.Next(Queries.Length)];

    /// <summary>
    /// Runs one call and records it; on UNAVAILABLE marks that server down for a moment and tries once more on the next
    /// live one (recorded as a second call), and when that fails too, backs off before the client's next call (250 ms,
    /// doubling to 2 s, reset by a success). A fixed <paramref name="server"/> (warm-up) is never retried elsewhere.
    /// </summary>
    private async Task<T?> CallAsync<T>(
        ConcurrentQueue<CallRecord> calls, string rpc, Func<V1.CodeGraphRag.CodeGraphRagClient, CallOptions, Task<T>> call,
        int? server = null, TimeSpan? deadline = null)
        where T : class
    {
        for (var attempt = 0; attempt < (server is null ? 2 : 1); attempt++)
        {
            var target = server ?? NextServer();
            var startedAt = _clock.GetTimestamp();
            var options = new CallOptions(_headers, _clock.GetUtcNow().UtcDateTime.Add(deadline ?? _options.Deadline));
            try
            {
                var result = await call(_clients[target], options);
                calls.Enqueue(new CallRecord(rpc, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _clock.GetElapsedTime(startedAt).TotalMilliseconds, StatusCode.OK, null));
                _backoff = FirstBackoff;
                return result;
            }
            catch (RpcException ex)
            {
                calls.Enqueue(new CallRecord(rpc, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _clock.GetElapsedTime(startedAt).TotalMilliseconds, ex.StatusCode,
                    $"{_options.Servers[target].Authority}: {ex.Status.Detail}"));
                if (ex.StatusCode != StatusCode.Unavailable)
                {
                    return null;
                }

                _downUntil[target] = _clock.GetUtcNow() + DownFor;
            }
        }

        await Task.Delay(_backoff, _clock);
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
        return null;
    }

    private int NextServer()
    {
        var now = _clock.GetUtcNow();
        for (var i = 0; i < _clients.Length; i++)
        {
            var candidate = (_home + i) % _clients.Length;
            if (_downUntil[candidate] <= now)
            {
                return candidate;
            }
        }

        return _home;
    }
}

/// <summary>Edits a few source files of the tree per sync round (a comment line naming the round after the original text).</summary>
internal sealed class TreeEditor(string root)
{
    private static readonly Dictionary<string, string> CommentPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "//", [".java"] = "//", [".go"] = "//", [".rs"] = "//", [".ts"] = "//", [".js"] = "//", [".c"] = "//",
        [".h"] = "//", [".cpp"] = "//", [".kt"] = "//", [".py"] = "#", [".rb"] = "#", [".sh"] = "#",
    };

    private readonly List<string> _files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Where(f => CommentPrefixes.ContainsKey(Path.GetExtension(f)))
        .Order(StringComparer.Ordinal)
        .ToList();

    private readonly Dictionary<string, byte[]> _originals = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Sync rounds started (one edit per round).</summary>
    public int Rounds { get; private set; }

    public void EditNextFiles(int count)
    {
        Rounds++;
        for (var i = 0; i < Math.Min(count, _files.Count); i++)
        {
            var file = _files[_next++ % _files.Count];
            if (!_originals.TryGetValue(file, out var original))
            {
                original = File.ReadAllBytes(file);
                _originals[file] = original;
            }

            var line = $"\n{CommentPrefixes[Path.GetExtension(file)]} soak edit {Rounds}\n";
            File.WriteAllBytes(file, [.. original, .. System.Text.Encoding.UTF8.GetBytes(line)]);
        }
    }
}

/// <summary>VmRSS of the given processes, sampled over the run.</summary>
internal sealed class RssSampler(IReadOnlyList<int> pids)
{
    /// <summary>Each sample: the RSS in kB per process, in <c>pids</c> order.</summary>
    public List<long[]> Samples { get; } = [];

    public IReadOnlyList<int> Pids => pids;

    public void Sample()
    {
        lock (Samples)
        {
            Samples.Add([.. pids.Select(RssKb)]);
        }
    }

    public async Task RunAsync(TimeSpan every, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // The timed phase ended.
        }
    }

    /// <summary>The process's VmRSS in kB; 0 once it has exited (the report then shows it).</summary>
    private static long RssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>The kill and restart times the script wrote, as windows in unix ms (a kill without a ready line stays open).</summary>
internal sealed record KillWindow(long KillMs, long? ReadyMs, long UntilMs)
{
    public static IReadOnlyList<KillWindow> Read(string events, TimeSpan grace)
    {
        var lines = File.ReadAllLines(events).Select(l => l.Split(' ')).Where(p => p.Length == 2)
            .Select(p => (What: p[0], Ms: long.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var windows = new List<KillWindow>();
        foreach (var kill in lines.Where(l => l.What == "kill"))
        {
            var ready = lines.Where(l => l.What == "ready" && l.Ms >= kill.Ms).Select(l => (long?)l.Ms).FirstOrDefault();
            windows.Add(new KillWindow(kill.Ms, ready, ready is { } r ? r + (long)grace.TotalMilliseconds : long.MaxValue));
        }

        return windows;
    }

    public bool Contains(long ms) => ms >= KillMs && ms <= UntilMs;
}

/// <summary>The detail lines and the final line.</summary>
internal static class Report
{
    public static int Print(
        SoakOptions options, List<CallRecord> calls, IReadOnlyList<KillWindow> windows, RssSampler rss, DateTimeOffset started,
        DateTimeOffset finished, int syncRounds)
    {
        bool Excused(CallRecord c) => c.Status == StatusCode.Unavailable && windows.Any(w => w.Contains(c.EndedMs));
        var inWindow = calls.Where(Excused).ToList();
        var errors = calls.Where(c => c.Status != StatusCode.OK && !Excused(c)).ToList();
        var queries = calls.Where(c => c.Rpc != "Sync" && c.Status == StatusCode.OK).Select(c => c.LatencyMs).ToList();
        var startMs = started.ToUnixTimeMilliseconds();
        Line($"soak: {(finished - started).TotalSeconds:F0} s, {options.Clients} clients on {string.Join(", ", options.Servers.Select(s => s.Authority))}, repository {options.Repository}");
        foreach (var group in calls.GroupBy(c => c.Rpc).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ok = group.Where(c => c.Status == StatusCode.OK).Select(c => c.LatencyMs).ToList();
            Line($"  {group.Key,-18} {group.Count(),7} calls, {ok.Count,7} ok, p50 {Percentile(ok, 0.50),7:F0} ms, p95 {Percentile(ok, 0.95),7:F0} ms, max {(ok.Count == 0 ? 0 : ok.Max()),7:F0} ms");
        }

        Line($"  sync rounds (5 files edited each): {syncRounds}; throughput {calls.Count(c => c.Rpc != "Sync") / Math.Max(1, (finished - started).TotalSeconds):F1} query calls/s");
        string At(long ms) => ((ms - startMs) / 1000.0).ToString("+0.0 s", CultureInfo.InvariantCulture);
        foreach (var w in windows)
        {
            var ready = w.ReadyMs is { } r ? "restarted silo ready at " + At(r) : "restarted silo never ready";
            var until = At(w.UntilMs == long.MaxValue ? finished.ToUnixTimeMilliseconds() : w.UntilMs);
            var failed = inWindow.Where(c => w.Contains(c.EndedMs)).ToList();
            var lastFailure = failed.Count > 0 ? ", the last at " + At(failed.Max(c => c.EndedMs)) : string.Empty;
            Line($"  silo killed at {At(w.KillMs)}, {ready}; UNAVAILABLE window to {until} ({options.Grace.TotalSeconds:F0} s grace): {failed.Count} UNAVAILABLE calls{lastFailure}");
        }

        foreach (var group in errors.GroupBy(c => (c.Rpc, c.Status)).OrderByDescending(g => g.Count()))
        {
            Line($"  error {group.Key.Rpc} {group.Key.Status}: {group.Count()}, {At(group.Min(c => c.EndedMs))} to {At(group.Max(c => c.EndedMs))} (first: after {group.First().LatencyMs:F0} ms, {group.First().Detail})");
        }

        long Mb(long[] sample) => sample.Sum() / 1024;
        var first = rss.Samples[0];
        var last = rss.Samples[^1];
        var change = (Mb(last) - Mb(first)) * 100.0 / Math.Max(1, Mb(first));
        Line($"  rss of pids {string.Join(", ", rss.Pids)}: start {string.Join(" + ", first.Select(k => k / 1024))} MB, end {string.Join(" + ", last.Select(k => k / 1024))} MB ({change:+0.0;-0.0} %), min {rss.Samples.Min(Mb)} MB, max {rss.Samples.Max(Mb)} MB over {rss.Samples.Count} samples");
        Line($"  rss every 60 s (MB): {string.Join(" ", rss.Samples.Where((_, i) => i % 6 == 0).Select(Mb))}");
        Line($"soak: {calls.Count} requests, {errors.Count} errors, p95 {Percentile(queries, 0.95):F0} ms, rss start {Mb(first)} MB end {Mb(last)} MB");
        return errors.Count > 0 ? 1 : 0;
    }

    /// <summary>Nearest-rank percentile (0 for no values).</summary>
    private static double Percentile(List<double> values, double p)
        => values.Count == 0 ? 0 : values.Order().ElementAt(Math.Max(0, (int)Math.Ceiling(p * values.Count) - 1));

    private static void Line(FormattableString text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
