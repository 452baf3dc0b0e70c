using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

/// <summary>The sample repository indexed once through the real CLI, shared by the read-only command tests.</summary>
public sealed class IndexedSampleRepository : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("cgr-cli");

    public string DataDirectory => Path.Combine(_temp.Path, "data");

    public string Tree => Path.Combine(_temp.Path, "acme");

    public string IndexOutput { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Fixtures.CopyTo("sample-repo", Tree);
        var (code, stdout, stderr) = await CgrProcess.RunAsync(DataDirectory, "index", Tree);
        Assert.True(code == 0, $"index failed ({code}): {stdout} {stderr}");
        IndexOutput = stdout;
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}
