using System.Text.Json;
using CodeGraphRag.Hosting.Configuration;

namespace CodeGraphRag.Api.Repositories;

/// <summary>
/// What the catalog does not hold about a registered repository: the branch a git source follows. Kept as a small JSON
/// file in the data directory (<c>server/branches.json</c>), shared by every server process on that directory.
/// </summary>
internal sealed class RepositorySources(ServerOptions settings) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string FilePath => Path.Combine(settings.DataDirectory, "server", "branches.json");

    public void Dispose() => _gate.Dispose();

    public async Task<string?> GetBranchAsync(string repository, CancellationToken cancellationToken)
    {
        var all = await ReadAsync(cancellationToken);
        return all.TryGetValue(repository, out var branch) ? branch : null;
    }

    public Task<Dictionary<string, string>> GetAllAsync(CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    public async Task SetBranchAsync(string repository, string? branch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var all = await ReadAsync(cancellationToken);
            if (string.IsNullOrEmpty(branch))
            {
                if (!all.Remove(repository))
                {
                    return;
                }
            }
            else
            {
                all[repository] = branch;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var temp = FilePath + "." + Environment.ProcessId + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(all), cancellationToken);
            File.Move(temp, FilePath, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, string>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var text = await File.ReadAllTextAsync(FilePath, cancellationToken);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(text) is { } map
            ? new Dictionary<string, string>(map, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
