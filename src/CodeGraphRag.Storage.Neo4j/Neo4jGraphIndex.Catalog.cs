using System.Globalization;
using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;

namespace CodeGraphRag.Storage.Neo4j;

/// <content>IRepositoryCatalog: repositories and the manifest (FileRecord properties on File nodes).</content>
public sealed partial class Neo4jGraphIndex
{
    /// <inheritdoc/>
    public async Task<RepositoryInfo?> GetRepositoryAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var result = await ReadAsync("GetRepository", CypherStatement.Of(Cypher.GetRepository, ("name", name)), cancellationToken).ConfigureAwait(false);
        return result.Rows.Count == 0 ? null : ReadRepository(result.Rows[0]);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RepositoryInfo>> ListRepositoriesAsync(CancellationToken cancellationToken = default)
    {
        var result = await ReadAsync("ListRepositories", CypherStatement.Of(Cypher.ListRepositories), cancellationToken).ConfigureAwait(false);
        return [.. result.Rows.Select(ReadRepository).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public Task UpsertRepositoryAsync(RepositoryInfo repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(repository.Name);
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["source"] = repository.Source ?? string.Empty,
            ["revision"] = repository.Revision,
            ["lastSyncStarted"] = repository.LastSyncStarted?.ToString("O", CultureInfo.InvariantCulture),
            ["lastSyncCompleted"] = repository.LastSyncCompleted?.ToString("O", CultureInfo.InvariantCulture),
            ["readGroups"] = GraphRows.NullIfEmpty((repository.ReadGroups ?? []).ToArray()),
        };
        return WriteAsync("UpsertRepository", [CypherStatement.Of(Cypher.UpsertRepository, ("name", repository.Name), ("properties", properties))], cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, FileRecord>> GetManifestAsync(string repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        var result = await ReadAsync("GetManifest", CypherStatement.Of(Cypher.GetManifest, ("repo", repository)), cancellationToken).ConfigureAwait(false);
        var manifest = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
        foreach (var row in result.Rows)
        {
            var file = ReadFile(repository, row);
            manifest[file.Path] = file;
        }

        return manifest;
    }

    /// <inheritdoc/>
    public async Task<FileRecord?> GetFileAsync(string repository, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = await ReadAsync("GetFile", CypherStatement.Of(Cypher.GetFile, ("repo", repository), ("path", path)), cancellationToken).ConfigureAwait(false);
        return result.Rows.Count == 0 ? null : ReadFile(repository, result.Rows[0]);
    }

    /// <inheritdoc/>
    /// <remarks>Chunks are the sum of the manifest's chunk counts (the chunks live in the other half of the split backend).</remarks>
    public async Task<RepositoryStats> GetStatsAsync(string repository, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        var results = await ReadManyAsync(
            "GetStats",
            [CypherStatement.Of(Cypher.StatsByGroup, ("repo", repository)), CypherStatement.Of(Cypher.FailedFiles, ("repo", repository))],
            cancellationToken).ConfigureAwait(false);
        var files = new Dictionary<FileStatus, int>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var languages = new Dictionary<string, int>(StringComparer.Ordinal);
        long chunks = 0, symbols = 0, references = 0;
        foreach (var row in results[0].Rows)
        {
            var status = Enum.TryParse<FileStatus>(Neo4jValue.String(row[0]), out var s) ? s : FileStatus.Failed;
            var reason = Neo4jValue.String(row[1]);
            var language = Neo4jValue.String(row[2]);
            var count = Neo4jValue.Int32(row[3]);
            files[status] = files.GetValueOrDefault(status) + count;
            if (status == FileStatus.Skipped)
            {
                skipped[reason ?? string.Empty] = skipped.GetValueOrDefault(reason ?? string.Empty) + count;
            }

            if (status == FileStatus.Indexed && language is not null)
            {
                languages[language] = languages.GetValueOrDefault(language) + count;
            }

            chunks += Neo4jValue.Int64(row[4]) ?? 0;
            symbols += Neo4jValue.Int64(row[5]) ?? 0;
            references += Neo4jValue.Int64(row[6]) ?? 0;
        }

        var failed = results[1].Rows
            .Select(r => new KeyValuePair<string, string>(Neo4jValue.RequiredString(r[0]), Neo4jValue.RequiredString(r[1])))
            .ToList();
        return new RepositoryStats(files, skipped, failed, chunks, symbols, references, languages);
    }

    private static RepositoryInfo ReadRepository(JsonElement[] row) => new(
        Neo4jValue.RequiredString(row[0]),
        Neo4jValue.RequiredString(row[1]),
        Neo4jValue.String(row[2]),
        ParseTime(Neo4jValue.String(row[3])),
        ParseTime(Neo4jValue.String(row[4])),
        Neo4jValue.StringList(row[5]));

    private static FileRecord ReadFile(string repository, JsonElement[] row) => new(
        repository,
        Neo4jValue.RequiredString(row[0]),
        Neo4jValue.String(row[1]),
        Neo4jValue.RequiredString(row[2]),
        Neo4jValue.Int64(row[3]) ?? 0,
        Neo4jValue.RequiredString(row[4]),
        Enum.TryParse<FileStatus>(Neo4jValue.String(row[5]), out var status) ? status : FileStatus.Failed,
        Neo4jValue.String(row[6]),
        Neo4jValue.Int32(row[7]),
        FileClasses.ParseStored(row.Length > 8 ? Neo4jValue.String(row[8]) : null));

    private static DateTimeOffset? ParseTime(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
