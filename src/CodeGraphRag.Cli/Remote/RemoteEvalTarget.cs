using System.Diagnostics;
using System.Globalization;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Evaluation;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Sources;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Cli.Remote;

/// <summary>
/// <c>cgr eval --server</c>: the queries go through the Search RPC (raw query text, one repository filter), so latencies
/// are client round trips; the API does not expose per-file index status, so "gold never indexed" is unknown. SWE-bench
/// registers the checkout (a path the server can read, or a git URL) and syncs each base commit through Sync.
/// </summary>
internal sealed class RemoteEvalTarget(RemoteConnection connection) : IEvalTarget
{
    /// <summary>The server's query length limit (see the proto header); longer queries are cut to it.</summary>
    public const int MaxQueryLength = SearchLimits.MaxQueryLength;

    /// <summary>The server's top_k limit, so the most hits one eval query can look at.</summary>
    public const int MaxDepthLimit = 100;

    private string? _registered;
    private bool _warnedLong;

    public string LatencyMeasuredAt => $"client round trip to {connection.Address}";

    public async Task CheckRepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        var list = await connection.Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), connection.Call(cancellationToken));
        if (!list.Repositories.Any(r => r.Name == repository))
        {
            var known = list.Repositories.Select(r => r.Name).ToList();
            var hint = known.Count == 0 ? "the server lists none you may read" : "you may read: " + string.Join(", ", known);
            throw new CliException($"unknown repository '{repository}' on {connection.Address} ({hint}); index it with 'cgr index <path or git URL> --name {repository} --server ...'");
        }
    }

    public async Task SyncAsync(string repository, string checkout, string commit, CancellationToken cancellationToken)
    {
        if (_registered != checkout)
        {
            var request = new V1.RegisterRepositoryRequest { Name = repository };
            if (GitMirror.IsRemote(checkout))
            {
                request.GitUrl = checkout;
            }
            else
            {
                request.LocalPath = checkout;
            }

            await connection.Client.RegisterRepositoryAsync(request, connection.Call(cancellationToken));
            _registered = checkout;
        }

        var renderer = ProgressRenderer.Create(Console.Error, forcePlain: true);
        var result = await RemoteBackend.FollowSyncAsync(connection, repository, commit, renderer, cancellationToken);
        if (result.Phase != SyncPhase.Completed)
        {
            throw new CliException($"syncing {repository} to {commit} on the server failed: {result.Error ?? result.Phase.ToString()}");
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr: {repository} at {commit[..Math.Min(10, commit.Length)]}: {result.FilesIndexed} files indexed, {result.FilesDeleted} deleted, {result.ChunksEmbedded} chunks embedded in {result.Elapsed.TotalSeconds:F1}s (server time)"));
    }

    public Task<bool?> IsIndexedAsync(string repository, string path, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public async Task<(IReadOnlyList<SearchHit> Hits, IReadOnlyList<FileHit>? Files, TimeSpan Latency)> SearchAsync(string repository, EvalQuery query, SearchMode mode, int depth, CancellationToken cancellationToken)
    {
        var text = query.Query;
        if (text.Length > MaxQueryLength)
        {
            if (!_warnedLong)
            {
                _warnedLong = true;
                await Console.Error.WriteLineAsync($"cgr: queries longer than the server's {MaxQueryLength} characters are cut to that length (first: {query.Id})");
            }

            text = text[..(char.IsHighSurrogate(text[MaxQueryLength - 1]) ? MaxQueryLength - 1 : MaxQueryLength)];
        }

        var request = new V1.SearchRequest { Query = text, TopK = depth, Mode = RemoteBackend.ToMode(mode), RawQuery = true, Filters = new V1.SearchFilters(), Files = query.Gold.All(g => g.StartLine is null) };
        request.Filters.Repositories.Add(repository);
        if (query.Language is { } language)
        {
            request.Filters.Languages.Add(language);
        }
        var clock = Stopwatch.StartNew();
        var response = await connection.Client.SearchAsync(request, connection.Call(cancellationToken));
        clock.Stop();
        var result = RemoteBackend.ToResponse(query.Query, response);
        return (result.Hits, result.Files, clock.Elapsed);
    }
}
