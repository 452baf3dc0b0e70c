using System.Collections.Concurrent;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Neo4j.Tests.Conformance;

/// <summary>
/// Isolates one test's data on a shared Neo4j database: every repository name is stored under a unique prefix and
/// mapped back on the way out, and every repository the test touched is removed on dispose. Resolution depends only on
/// repository equality, so the prefix changes no result. A query for every repository reads this test's repositories,
/// unless <paramref name="unrestrictedReads"/> is set: then it reaches Neo4j as a query for every repository (the
/// unrestricted read path) and only answers about other repositories are dropped, which needs a database that no other
/// test writes while it runs.
/// </summary>
internal sealed class PrefixedGraphIndex(Neo4jGraphIndex inner, string prefix, bool unrestrictedReads = false) : IGraphIndex
{
    private readonly ConcurrentDictionary<string, bool> _touched = new(StringComparer.Ordinal);

    public IEnumerable<string> TouchedRepositories => _touched.Keys;

    private string In(string repository)
    {
        var stored = prefix + repository;
        _touched.TryAdd(stored, true);
        return stored;
    }

    private string Out(string repository) =>
        repository.StartsWith(prefix, StringComparison.Ordinal) ? repository[prefix.Length..] : throw new InvalidOperationException($"foreign repository {repository} leaked into this test");

    /// <summary>Whether a stored repository is this test's; only unrestricted reads can see others (each one is then dropped).</summary>
    private bool Ours(string repository) => !unrestrictedReads || repository.StartsWith(prefix, StringComparison.Ordinal);

    private SymbolKey In(SymbolKey key) => key with { Repository = In(key.Repository) };

    private SymbolKey Out(SymbolKey key) => key with { Repository = Out(key.Repository) };

    private FileRecord Out(FileRecord file) => file with { Repository = Out(file.Repository) };

    public Task ApplyFileAsync(FileRecord file, FileGraph graph, CancellationToken cancellationToken = default) =>
        inner.ApplyFileAsync(file with { Repository = In(file.Repository) }, graph, cancellationToken);

    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) =>
        inner.RemoveFilesAsync(In(repository), paths, cancellationToken);

    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default) =>
        inner.RemoveRepositoryAsync(In(repository), cancellationToken);

    public async Task<IReadOnlyList<GraphNeighbor>> GetNeighborsAsync(IReadOnlyList<SymbolKey> symbols, NeighborQuery query, CancellationToken cancellationToken = default)
    {
        // CGR: "every repository" means every repository of this test: other tests' data on the shared server must not
        // take part in resolution (it would be a candidate at the other-repositories level).
        var mapped = query with { Repositories = query.Repositories?.Select(In).ToList() ?? (unrestrictedReads ? null : [.. _touched.Keys]) };
        var result = await inner.GetNeighborsAsync([.. symbols.Select(In)], mapped, cancellationToken);
        return [.. result.Where(n => Ours(n.Neighbor.Repository)).Select(n => n with { From = Out(n.From), Neighbor = Out(n.Neighbor) })];
    }

    public async Task<IReadOnlyList<SymbolDefinition>> FindDefinitionsAsync(
        IReadOnlyList<string> names, IReadOnlyList<string>? repositories, int limitPerName, CancellationToken cancellationToken = default)
    {
        var result = await inner.FindDefinitionsAsync(names, repositories?.Select(In).ToList() ?? (unrestrictedReads ? null : [.. _touched.Keys]), limitPerName, cancellationToken);
        return [.. result.Where(d => Ours(d.Symbol.Repository)).Select(d => d with { Symbol = Out(d.Symbol) })];
    }

    public async Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default) =>
        await inner.GetRepositoryAsync(In(name), cancellationToken) is { } info ? info with { Name = Out(info.Name) } : null;

    public async Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default) =>
        [.. (await inner.ListRepositoriesAsync(cancellationToken))
            .Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => r with { Name = Out(r.Name) })];

    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default) =>
        inner.UpsertRepositoryAsync(repository with { Name = In(repository.Name) }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default) =>
        (await inner.GetManifestAsync(In(repository), cancellationToken)).ToDictionary(p => p.Key, p => Out(p.Value), StringComparer.Ordinal);

    public async Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default) =>
        await inner.GetFileAsync(In(repository), path, cancellationToken) is { } file ? Out(file) : null;

    public Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default) =>
        inner.GetStatsAsync(In(repository), cancellationToken);
}
