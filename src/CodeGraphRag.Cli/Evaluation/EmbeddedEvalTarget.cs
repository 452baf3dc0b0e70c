using System.Diagnostics;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Evaluation;

/// <summary>The eval against the embedded index in this process: in-process latency, file status from the catalog.</summary>
internal sealed class EmbeddedEvalTarget(EmbeddedSession session) : IEvalTarget
{
    private readonly IRepositoryCatalog _catalog = session.Services.GetRequiredService<IRepositoryCatalog>();

    public string LatencyMeasuredAt => "in process";

    public async Task CheckRepositoryAsync(string repository, CancellationToken cancellationToken) =>
        await SearchArguments.CheckRepositoriesAsync(_catalog, [repository], cancellationToken);

    public async Task SyncAsync(string repository, string checkout, string commit, CancellationToken cancellationToken)
    {
        var grain = session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository));
        var renderer = ProgressRenderer.Create(Console.Error, forcePlain: true);
        var result = await IndexCommand.SyncOnceAsync(grain, new SyncRequest(checkout, commit), renderer, cancellationToken);
        if (result.Phase != SyncPhase.Completed)
        {
            throw new CliException($"syncing {repository} to {commit} failed: {result.Error ?? result.Phase.ToString()}");
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr: {repository} at {commit[..Math.Min(10, commit.Length)]}: {result.FilesIndexed} files indexed, {result.FilesDeleted} deleted, {result.ChunksEmbedded} chunks embedded in {result.Elapsed.TotalSeconds:F1}s"));
    }

    public async Task<bool?> IsIndexedAsync(string repository, string path, CancellationToken cancellationToken) =>
        await _catalog.GetFileAsync(repository, path, cancellationToken) is { Status: FileStatus.Indexed };

    public async Task<(IReadOnlyList<SearchHit> Hits, IReadOnlyList<FileHit>? Files, TimeSpan Latency)> SearchAsync(string repository, EvalQuery query, SearchMode mode, int depth, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var response = await session.Client.GetGrain<ISearchGrain>(0).SearchAsync(
            new SearchRequest(query.Query, [repository], Languages: query.Language is { } language ? [language] : null, Mode: mode, Top: depth, ParseInlineFilters: false,
                Files: query.Gold.All(g => g.StartLine is null)), cancellationToken);
        clock.Stop();
        return (response.Hits, response.Files, clock.Elapsed);
    }
}
