using System.Globalization;
using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Hosting;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr status [--repo name] [--check]</c> and <c>cgr repos</c>, embedded or against a server.</summary>
internal static class StatusCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "repo" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "check", "cluster" };

    /// <summary>The flags of <c>cgr status --server</c> (the integrity check runs where the data directory is).</summary>
    public static readonly IReadOnlySet<string> RemoteFlags = new HashSet<string>(StringComparer.Ordinal) { "cluster" };

    public static async Task<int> StatusAsync(ParsedArgs args, TextWriter stdout, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
    {
        await using var backend = await open();
        if (args.Flag("cluster"))
        {
            return await ClusterAsync(backend, args.Flag("check"), stdout, cancellationToken);
        }

        var names = args.Values("repo") is { Count: > 0 } given
            ? await backend.CheckRepositoriesAsync(given, cancellationToken)
            : (await backend.ListRepositoriesAsync(cancellationToken)).Select(r => r.Name).ToList();
        await backend.WriteStatusHeaderAsync(stdout, args.Flag("check"), cancellationToken);
        if (names.Count == 0)
        {
            stdout.WriteLine(backend.NothingIndexedHint);
        }

        foreach (var name in names)
        {
            var repo = await backend.GetStatusAsync(name, cancellationToken);
            stdout.WriteLine();
            stdout.WriteLine($"{repo.Name}  ({repo.Source}{(repo.Revision is { } rev ? " @ " + rev : string.Empty)})");
            var unfinished = repo.LastSyncStarted > repo.LastSyncCompleted || repo.LastSyncCompleted is null
                ? $" (a sync started {Format(repo.LastSyncStarted)} has not completed)"
                : string.Empty;
            stdout.WriteLine($"  last sync: {Format(repo.LastSyncCompleted)}{unfinished}");
            stdout.WriteLine($"  files: {repo.FilesIndexed} indexed, {repo.FilesSkipped} skipped, {repo.FilesFailed} failed");
            if (repo.SkippedByReason.Count > 0)
            {
                stdout.WriteLine("  skipped: " + string.Join(", ", repo.SkippedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}")));
            }

            if (repo.Languages.Count > 0)
            {
                stdout.WriteLine("  languages: " + string.Join(", ", repo.Languages.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
            }

            stdout.WriteLine($"  chunks: {repo.Chunks}, symbols: {repo.Symbols}, references: {repo.References}");
            if (repo.ChunksAwaitingVectors > 0)
            {
                stdout.WriteLine($"  awaiting vectors: {repo.ChunksAwaitingVectors} chunks (searchable lexically and through the graph; dense search finds them once embedded; the next sync embeds them)");
            }

            foreach (var (path, reason) in repo.FailedFiles)
            {
                stdout.WriteLine($"  failed: {path}: {reason}");
            }
        }

        return 0;
    }

    /// <summary><c>cgr status --cluster</c>: one line per live silo (roles, start, this product's grain activations by class).</summary>
    private static async Task<int> ClusterAsync(ICliBackend backend, bool check, TextWriter stdout, CancellationToken cancellationToken)
    {
        await backend.WriteStatusHeaderAsync(stdout, check, cancellationToken);
        var silos = await backend.GetClusterAsync(cancellationToken);
        stdout.WriteLine($"cluster: {silos.Count} live silo{(silos.Count == 1 ? string.Empty : "s")}, {silos.Sum(s => s.TotalActivations)} activations");
        foreach (var silo in silos)
        {
            var roles = SiloRolesParser.Names(silo.Roles) is { Count: > 0 } names ? string.Join(",", names) : "no roles";
            var activations = silo.Activations.Count == 0
                ? "none"
                : string.Join(", ", silo.Activations.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}")));
            stdout.WriteLine($"  {silo.Address} {silo.Name} ({roles}; {silo.Status}, started {Format(silo.Started)}): {silo.TotalActivations} activations: {activations}");
        }

        return 0;
    }

    public static async Task<int> ReposAsync(TextWriter stdout, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
    {
        await using var backend = await open();
        foreach (var repo in await backend.ListRepositoriesAsync(cancellationToken))
        {
            stdout.WriteLine($"{repo.Name}\t{repo.Source}\t{Format(repo.LastSyncCompleted)}");
        }

        return 0;
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
