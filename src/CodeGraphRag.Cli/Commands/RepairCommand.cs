using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Storage.Embedded;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr repair</c>: rebuilds the derived indexes; a database beyond repair is moved aside (never deleted) and the
/// repositories it held are indexed again from their working trees.
/// </summary>
internal static class RepairCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "plain" };

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var options = EmbeddedSession.StorageOptions(args);
        var report = await EmbeddedStoreRepair.RepairAsync(options, TimeProvider.System, cancellationToken: cancellationToken);
        foreach (var action in report.Actions)
        {
            stdout.WriteLine($"repair: {action}");
        }

        if (report.MovedAsideTo is null)
        {
            stdout.WriteLine("repair: done; nothing was lost");
            return 0;
        }

        if (report.RepositoriesToIndex is null)
        {
            stdout.WriteLine($"repair: the catalog could not be read ({report.CatalogProblem}) and no copy was saved; index each repository this data directory held again: cgr index <path> --name <name>");
            return 1;
        }

        var failed = 0;

        // One silo for all the repositories, started when the first one needs it.
        EmbeddedSession? session = null;
        try
        {
            foreach (var repository in report.RepositoriesToIndex)
            {
                if (!Directory.Exists(repository.Source))
                {
                    stdout.WriteLine($"repair: cannot re-index '{repository.Name}': '{repository.Source}' is not a directory here; index it again: cgr index <path> --name {repository.Name}");
                    failed++;
                    continue;
                }

                stdout.WriteLine($"repair: re-indexing '{repository.Name}' from {repository.Source}{(repository.Revision is { } rev ? " @ " + rev : string.Empty)}");
                session ??= await EmbeddedSession.StartAsync(args, readOnly: false, cancellationToken);
                var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository.Name));
                var renderer = ProgressRenderer.Create(stdout, args.Flag("plain"));
                var result = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(repository.Source, repository.Revision), renderer, cancellationToken);
                renderer.Summary(repository.Name, result);
                if (result.Phase != SyncPhase.Completed)
                {
                    failed++;
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        stdout.WriteLine(failed == 0
            ? $"repair: done; {report.RepositoriesToIndex.Count} repositories indexed again, the damaged database kept at {report.MovedAsideTo}"
            : $"repair: {failed} of {report.RepositoriesToIndex.Count} repositories were not indexed again (see above); the damaged database is kept at {report.MovedAsideTo}");
        return failed == 0 ? 0 : 1;
    }
}
