using System.Collections.Concurrent;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>
/// Test adapter: an <see cref="EmbeddedStore"/> acting as the graph and catalog half of a split backend, so the Milvus chunk
/// index can run the shared conformance suite through <see cref="SplitIndexWriter"/>.
/// </summary>
/// <remarks>
/// The embedded store derives a file's chunk count from the chunks it holds itself, which are none here; the adapter keeps
/// the count the manifest entry carries (what a real graph index such as Neo4j stores) and reports it instead.
/// </remarks>
internal sealed class EmbeddedGraphIndex(EmbeddedStore store) : IGraphIndex
{
    private readonly ConcurrentDictionary<(string Repository, string Path), int> _chunkCounts = new();

    public async Task ApplyFileAsync(FileRecord file, FileGraph graph, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await store.ApplyFileAsync(new FileUpdate(file, [], new Dictionary<string, float[]>(), graph), cancellationToken);
        _chunkCounts[(file.Repository, file.Path)] = file.ChunkCount;
    }

    public async Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        await store.RemoveFilesAsync(repository, paths, cancellationToken);
        foreach (var path in paths)
        {
            _chunkCounts.TryRemove((repository, path), out _);
        }
    }

    public async Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default)
    {
        await store.RemoveRepositoryAsync(repository, cancellationToken);
        foreach (var key in _chunkCounts.Keys.Where(k => k.Repository == repository))
        {
            _chunkCounts.TryRemove(key, out _);
        }
    }

    public Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default) =>
        store.GetNeighborsAsync(symbols, query, cancellationToken);

    public Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default) =>
        store.FindDefinitionsAsync(names, repositories, limitPerName, cancellationToken);

    public Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) => store.GetRepositoryAsync(name, cancellationToken);

    public Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) => store.ListRepositoriesAsync(cancellationToken);

    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) => store.UpsertRepositoryAsync(repository, cancellationToken);

    public async Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default)
    {
        var manifest = await store.GetManifestAsync(repository, cancellationToken);
        return manifest.ToDictionary(e => e.Key, e => WithCount(e.Value));
    }

    public async Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        await store.GetFileAsync(repository, path, cancellationToken) is { } file ? WithCount(file) : null;

    public async Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default)
    {
        var stats = await store.GetStatsAsync(repository, cancellationToken);
        var manifest = await GetManifestAsync(repository, cancellationToken);
        return stats with { Chunks = manifest.Values.Sum(f => (long)f.ChunkCount) };
    }

    private FileRecord WithCount(FileRecord file) =>
        _chunkCounts.TryGetValue((file.Repository, file.Path), out var count) ? file with { ChunkCount = count } : file;
}
