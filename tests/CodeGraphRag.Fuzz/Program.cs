using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CodeGraphRag.Fuzz;

// Usage: CodeGraphRag.Fuzz <seconds-per-target> <seeds-dir> <found-dir> [target ...]
//   Replays every saved input (seeds-dir/<target>/* and found-dir/<target>/*), then feeds each target mutated seeds
//   (Mutations) for the given time; CGR_FUZZ_SEED fixes the random seed (printed, so a run can be repeated). An input
//   that breaks a target (an exception its contract does not name, a broken invariant, or more than HangSeconds on one
//   input) is saved to found-dir/<target>/ and the run goes on with the next target (after a hang it stops).
//   Last line: "fuzz: N targets, N executions, N crashes".
if (args.Length < 3 || !double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
{
    Console.Error.WriteLine("usage: CodeGraphRag.Fuzz <seconds-per-target> <seeds-dir> <found-dir> [target ...]");
    return 2;
}

var (seedsRoot, foundRoot) = (args[1], args[2]);
var names = args.AsSpan(3).ToArray();
var selected = names.Length > 0 ? FuzzTargets.All.Where(t => names.Contains(t.Name)).ToList() : [.. FuzzTargets.All];
if (selected.Count < names.Length)
{
    Console.Error.WriteLine($"unknown target; the targets are: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

var seed = int.TryParse(Environment.GetEnvironmentVariable("CGR_FUZZ_SEED"), CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}"));
long executions = 0;
var crashes = 0;
using var watchdog = new Watchdog(TimeSpan.FromSeconds(Watchdog.HangSeconds), (target, input) =>
{
    var path = Save(Path.Combine(foundRoot, target), input, "hang-");
    Console.WriteLine($"{target}: CRASH {path}: no answer within {Watchdog.HangSeconds} s");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzz: {selected.Count} targets, {Interlocked.Read(ref executions)} executions, {crashes + 1} crashes"));
    Environment.Exit(1);
});
foreach (var target in selected)
{
    var saved = SavedInputs(Path.Combine(seedsRoot, target.Name)).Concat(SavedInputs(Path.Combine(foundRoot, target.Name))).ToList();
    var seeds = saved.Count > 0 ? saved.Select(s => s.Bytes).ToList() : [[]];
    string? failure = null;
    foreach (var (path, bytes) in saved)
    {
        Interlocked.Increment(ref executions);
        if (Attempt(watchdog, target, bytes) is { } error)
        {
            failure = $"{path}: {error}";
            break;
        }
    }

    var clock = Stopwatch.StartNew();
    var random = new Random(seed);
    var slowest = (Milliseconds: 0.0, Length: 0);
    while (failure is null && clock.Elapsed.TotalSeconds < seconds)
    {
        var input = Mutations.Next(seeds, random);
        Interlocked.Increment(ref executions);
        var started = Stopwatch.GetTimestamp();
        if (Attempt(watchdog, target, input) is { } error)
        {
            failure = $"{Save(Path.Combine(foundRoot, target.Name), input)}: {error}";
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (elapsed > slowest.Milliseconds)
        {
            slowest = (elapsed, input.Length);
        }
    }

    crashes += failure is null ? 0 : 1;
    Console.WriteLine(failure is null
        ? string.Create(CultureInfo.InvariantCulture, $"{target.Name}: ok ({saved.Count} saved inputs replayed, {clock.Elapsed.TotalSeconds:F0} s of mutations, slowest input {slowest.Milliseconds:F0} ms for {slowest.Length} bytes)")
        : $"{target.Name}: CRASH {failure}");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzz: {selected.Count} targets, {executions} executions, {crashes} crashes"));
return crashes == 0 ? 0 : 1;

static IEnumerable<(string Path, byte[] Bytes)> SavedInputs(string folder) =>
    Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllBytes(f))) : [];

static string? Attempt(Watchdog watchdog, FuzzTarget target, byte[] input)
{
    watchdog.Enter(target.Name, input);
    try
    {
        target.Run(input);
        return null;
    }
    catch (Exception ex)
    {
        return $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
    }
    finally
    {
        watchdog.Leave();
    }
}

static string Save(string folder, byte[] input, string prefix = "crash-")
{
    Directory.CreateDirectory(folder);
    var path = Path.Combine(folder, prefix + Convert.ToHexStringLower(SHA256.HashData(input))[..16]);
    File.WriteAllBytes(path, input);
    return path;
}
