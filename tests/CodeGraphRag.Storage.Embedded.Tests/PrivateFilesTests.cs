using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>The data directory holds indexed code: it used to be created world-readable (0644 files).</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PrivateFilesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task NewDataDirectory_FolderAndDatabaseFilesOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var parent = new TempDirectory("cgr-modes");
        var data = Path.Combine(parent.Path, "nested", "data");
        var options = EmbeddedStoreFactory.Options(data, exactThreshold: 50);
        await using (var store = new EmbeddedStore(options))
        {
            await store.ApplyFileAsync(ConformanceData.Update("r", "a.py", [ConformanceData.Chunk("r", "a.py", "def a():\n    return 1\n")]), Ct);
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(data, "index.db-wal")));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(data, "index.db")));
    }
}
