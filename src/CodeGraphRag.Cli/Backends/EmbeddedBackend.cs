using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Commands;
using CodeGraphRag.Embeddings;
using CodeGraphRag.Hosting;
using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Cli.Backends;

/// <summary>The embedded stores: the background server's resident session, or a read-only session of this command's own.</summary>
internal sealed class EmbeddedBackend : ICliBackend
{
    private readonly EmbeddedSession _session;
    private readonly bool _owned;

    private EmbeddedBackend(EmbeddedSession session, bool owned)
    {
        _session = session;
        _owned = owned;
    }

    private IRepositoryCatalog Catalog => _session.Services.GetRequiredService<IRepositoryCatalog>();

    /// <summary><paramref name="resident"/> when given (it stays open), else a read-only session of its own.</summary>
    public static async Task<EmbeddedBackend> OpenAsync(ParsedArgs args, EmbeddedSession? resident, CancellationToken cancellationToken)
        => resident is not null
            ? new EmbeddedBackend(resident, owned: false)
            : new EmbeddedBackend(await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken), owned: true);

    /// <summary>A writer session (for commands that change the index).</summary>
    public static async Task<EmbeddedBackend> OpenWriterAsync(ParsedArgs args, CancellationToken cancellationToken)
        => new(await EmbeddedSession.StartAsync(args, readOnly: false, cancellationToken), owned: true);

    public string NothingIndexedHint => "no repositories indexed; run 'cgr index <path>'";

    public async Task WriteStatusHeaderAsync(TextWriter stdout, bool check, CancellationToken cancellationToken)
    {
        stdout.WriteLine($"data directory: {_session.DataDirectory}");
        var embedding = _session.Services.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;
        var modelId = _session.Services.GetRequiredService<IEmbedder>().Model.Id;
        stdout.WriteLine($"embedding: {modelId} at {embedding.DescribePrecision()} on {embedding.Device}");
        var store = _session.Services.GetRequiredService<EmbeddedStore>();
        foreach (var (otherModel, count) in await store.CountOtherModelsVectorsAsync(cancellationToken))
        {
            // Dense search embeds queries with this model and finds none of these vectors.
            stdout.WriteLine($"warning: {count} vectors of {otherModel} (another model or precision) are not searched by dense modes; "
                + "'cgr index' re-embeds each repository with this model");
        }

        if (check)
        {
            // A damaged database throws: the command then fails with the one line that names the file and 'cgr repair'.
            var report = await store.CheckIntegrityAsync(cancellationToken);
            stdout.WriteLine($"integrity: ok ({string.Join("; ", report.Checks)})");
            foreach (var line in report.Rebuilt)
            {
                stdout.WriteLine($"  rebuilt: {line}");
            }
        }
    }

    public async Task<IReadOnlyList<string>> CheckRepositoriesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
        => await SearchArguments.CheckRepositoriesAsync(Catalog, names, cancellationToken) ?? [];

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        await CheckRepositoriesAsync(request.Repositories ?? [], cancellationToken);
        return await CallAsync(grain => grain.SearchAsync(request, cancellationToken));
    }

    public async Task<ContextAnswer> GetContextAsync(ContextRequest request, CancellationToken cancellationToken)
    {
        await CheckRepositoriesAsync(request.Search.Repositories ?? [], cancellationToken);
        var packed = await CallAsync(grain => grain.GetContextAsync(request, cancellationToken));
        return new ContextAnswer(packed.Text, packed.Packed.Count, packed.Search.Hits.Count, packed.RelatedIncluded, packed.Tokens);
    }

    public async Task<IReadOnlyList<RepositoryListing>> ListRepositoriesAsync(CancellationToken cancellationToken)
        => [.. (await Catalog.ListRepositoriesAsync(cancellationToken)).Select(r => new RepositoryListing(r.Name, r.Source, r.LastSyncCompleted))];

    public async Task<RepositoryReport> GetStatusAsync(string repository, CancellationToken cancellationToken)
    {
        var repo = await Catalog.GetRepositoryAsync(repository, cancellationToken);
        var stats = await Catalog.GetStatsAsync(repository, cancellationToken);
        return new RepositoryReport(
            repository, repo?.Source ?? string.Empty, repo?.Revision, repo?.LastSyncStarted, repo?.LastSyncCompleted,
            stats.Files.GetValueOrDefault(FileStatus.Indexed), stats.Files.GetValueOrDefault(FileStatus.Skipped), stats.Files.GetValueOrDefault(FileStatus.Failed),
            stats.SkippedByReason, stats.Languages, stats.Chunks, stats.Symbols, stats.References,
            stats.FailedFiles, stats.ChunksAwaitingVectors);
    }

    public async Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        await CheckRepositoriesAsync([repository], cancellationToken);
        await _session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(repository)).RemoveAsync();
    }

    /// <summary>The in-process silo (the background server's, or this command's own).</summary>
    public Task<IReadOnlyList<SiloReport>> GetClusterAsync(CancellationToken cancellationToken) => ClusterInspection.ReadAsync(_session.Services, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await _session.DisposeAsync();
        }
    }

    /// <summary>Calls the search grain, turning a query syntax error into a usage error.</summary>
    private async Task<T> CallAsync<T>(Func<ISearchGrain, Task<T>> call)
    {
        try
        {
            return await call(_session.Client.GetGrain<ISearchGrain>(0));
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }
}
