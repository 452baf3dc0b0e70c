using System.Globalization;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr status [--repo name]</c> and <c>cgr repos</c>.</summary>
internal static class StatusCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "repo" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "check" };

    public static async Task<int> StatusAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken, EmbeddedSession? resident = null)
    {
        await using var owned = resident is null ? await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken) : null;
        var session = resident ?? owned!;
        var catalog = session.Services.GetRequiredService<IRepositoryCatalog>();
        var names = await SearchArguments.CheckRepositoriesAsync(catalog, args.Values("repo"), cancellationToken)
            ?? (await catalog.ListRepositoriesAsync(cancellationToken)).Select(r => r.Name).ToList();
        stdout.WriteLine($"data directory: {session.DataDirectory}");
        var embedding = session.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;
        var modelId = session.Services.GetRequiredService<IEmbedder>().Model.Id;
        stdout.WriteLine($"embedding: {modelId} at {embedding.DescribePrecision()} on {embedding.Device}");
        var store = session.Services.GetRequiredService<CodeGraphRag.Storage.Embedded.EmbeddedStore>();
        foreach (var (otherModel, count) in await store.CountOtherModelsVectorsAsync(cancellationToken))
        {
            // Dense search embeds queries with this model and finds none of these vectors.
            stdout.WriteLine($"warning: {count} vectors of {otherModel} (another model or precision) are not searched by dense modes; "
                + "'cgr index' re-embeds each repository with this model");
        }

        if (args.Flag("check"))
        {
            // A damaged database throws: the command then fails with the one line that names the file and 'cgr repair'.
            var report = await store.CheckIntegrityAsync(cancellationToken);
            stdout.WriteLine($"integrity: ok ({string.Join("; ", report.Checks)})");
            foreach (var line in report.Rebuilt)
            {
                stdout.WriteLine($"  rebuilt: {line}");
            }
        }
        if (names.Count == 0)
        {
            stdout.WriteLine("no repositories indexed; run 'cgr index <path>'");
        }

        foreach (var name in names)
        {
            var repo = await catalog.GetRepositoryAsync(name, cancellationToken);
            var stats = await catalog.GetStatsAsync(name, cancellationToken);
            stdout.WriteLine();
            stdout.WriteLine($"{name}  ({repo?.Source}{(repo?.Revision is { } rev ? " @ " + rev : string.Empty)})");
            stdout.WriteLine($"  last sync: {Format(repo?.LastSyncCompleted)}{(repo?.LastSyncStarted > repo?.LastSyncCompleted || repo?.LastSyncCompleted is null ? $" (a sync started {Format(repo?.LastSyncStarted)} has not completed)" : string.Empty)}");
            stdout.WriteLine($"  files: {stats.Files.GetValueOrDefault(FileStatus.Indexed)} indexed, {stats.Files.GetValueOrDefault(FileStatus.Skipped)} skipped, {stats.Files.GetValueOrDefault(FileStatus.Failed)} failed");
            if (stats.SkippedByReason.Count > 0)
            {
                stdout.WriteLine("  skipped: " + string.Join(", ", stats.SkippedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}")));
            }

            if (stats.Languages.Count > 0)
            {
                stdout.WriteLine("  languages: " + string.Join(", ", stats.Languages.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
            }

            stdout.WriteLine($"  chunks: {stats.Chunks}, symbols: {stats.Symbols}, references: {stats.References}");
            foreach (var (path, reason) in stats.FailedFiles)
            {
                stdout.WriteLine($"  failed: {path}: {reason}");
            }
        }

        return 0;
    }

    public static async Task<int> ReposAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken, EmbeddedSession? resident = null)
    {
        await using var owned = resident is null ? await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken) : null;
        var session = resident ?? owned!;
        var repositories = await session.Services.GetRequiredService<IRepositoryCatalog>().ListRepositoriesAsync(cancellationToken);
        foreach (var repo in repositories)
        {
            stdout.WriteLine($"{repo.Name}\t{repo.Source}\t{Format(repo.LastSyncCompleted)}");
        }

        return 0;
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
