using CodeGraphRag.TestInfrastructure;
using CodeGraphRag.TestInfrastructure.Conformance;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class WriteLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_SecondWriter_ThrowsLockedWithDirectoryAndPid()
    {
        using var directory = new TempDirectory();
        await using var first = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));

        var error = Assert.Throws<DataDirectoryLockedException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)));

        Assert.Contains(first.Options.DataDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(Environment.ProcessId, error.OwnerProcessId);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Open_LockFileCannotBeOpened_AccessErrorNamingIt_NotLocked()
    {
        // A folder where the lock file goes cannot be opened for writing, by root too: the refusal is not another writer.
        using var directory = new TempDirectory();
        var lockPath = Path.Combine(directory.Path, "write.lock");
        Directory.CreateDirectory(lockPath);

        var error = Assert.Throws<DataDirectoryAccessException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)));

        Assert.Equal(lockPath, error.Path);
        Assert.Contains($"'{lockPath}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Open_DirectoryUnderAFile_AccessErrorNamingTheDirectory()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "plain-file");
        File.WriteAllText(file, "x");
        var data = Path.Combine(file, "data");

        var error = Assert.Throws<DataDirectoryAccessException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(data)));

        Assert.Equal(data, error.DataDirectory);
        Assert.StartsWith($"cannot write the data directory '{data}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Cause_NamesReadOnlyFileSystemAndFullDiskAndAccess()
    {
        Assert.Equal("read-only file system", DataDirectoryAccessException.Cause(new IOException("Read-only file system : '/x'", 30)));
        Assert.Equal("no space left on the device", DataDirectoryAccessException.Cause(new IOException("No space left on device : '/x'", 28)));
        Assert.Equal("access denied", DataDirectoryAccessException.Cause(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Open_AfterWriterDisposed_SecondWriterSucceedsAndSeesData()
    {
        using var directory = new TempDirectory();
        var chunk = ConformanceData.Chunk("r", "a.py", "def persisted(): pass");
        await using (var first = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path)))
        {
            await first.ApplyFileAsync(ConformanceData.Update("r", "a.py", [chunk]), Ct);
        }

        await using var second = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));

        Assert.Single(await second.SearchLexicalAsync(["persisted"], 5, Abstractions.Storage.ChunkFilter.None, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReadOnly_WhileWriterCommits_ReadsWithoutLockAndCatchesUp()
    {
        using var directory = new TempDirectory();
        await using var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        var first = ConformanceData.Chunk("r", "a.py", "def first_version(): pass");
        await writer.ApplyFileAsync(ConformanceData.Update("r", "a.py", [first]), Ct);
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, readOnly: true));
        Assert.Equal(first.Id, (await reader.SearchDenseAsync(ConformanceData.VectorOf(first), 1, Abstractions.Storage.ChunkFilter.None, Ct))[0].ChunkId);
        var second = ConformanceData.Chunk("r", "b.py", "def second_version(): pass");

        await writer.ApplyFileAsync(ConformanceData.Update("r", "b.py", [second]), Ct);
        await writer.RemoveFilesAsync("r", ["a.py"], Ct);

        Assert.Equal([second.Id], (await reader.SearchDenseAsync(ConformanceData.VectorOf(first), 5, Abstractions.Storage.ChunkFilter.None, Ct)).Select(h => h.ChunkId));
        Assert.Single(await reader.SearchLexicalAsync(["second_version"], 5, Abstractions.Storage.ChunkFilter.None, Ct));
        var error = await Assert.ThrowsAsync<EmbeddedStorageException>(() => reader.ApplyFileAsync(ConformanceData.Update("r", "c.py", []), Ct));
        Assert.Equal("ApplyFile", error.Operation);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ReadOnly_WriterClosesAndPrunesChangeLog_ReaderReloadsAndStaysCorrect()
    {
        using var directory = new TempDirectory();
        var kept = ConformanceData.Chunk("r", "kept.py", "def kept(): pass");
        var removed = ConformanceData.Chunk("r", "removed.py", "def removed(): pass");
        var writer = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        await writer.ApplyFileAsync(ConformanceData.Update("r", "kept.py", [kept]), Ct);
        await writer.ApplyFileAsync(ConformanceData.Update("r", "removed.py", [removed]), Ct);
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, readOnly: true));
        Assert.Equal(2, (await reader.SearchDenseAsync(ConformanceData.VectorOf(kept), 5, Abstractions.Storage.ChunkFilter.None, Ct)).Count);

        await writer.RemoveFilesAsync("r", ["removed.py"], Ct);
        await writer.DisposeAsync();

        await using (var check = reader.OpenConnection())
        await using (var count = check.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM change_log";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync(Ct))!);
        }

        Assert.Equal([kept.Id], (await reader.SearchDenseAsync(ConformanceData.VectorOf(removed), 5, Abstractions.Storage.ChunkFilter.None, Ct)).Select(h => h.ChunkId));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ReadOnly_NoDatabase_ThrowsStorageExceptionNamingDirectory()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<EmbeddedStorageException>(() => new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, readOnly: true)));

        Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SharedWriters_TwoWritersConcurrently_BothCommitAndEachSeesTheOthersVectors()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        options.SharedWriters = true;
        await using var one = new EmbeddedStore(options);
        await using var two = new EmbeddedStore(options);
        var fromOne = Enumerable.Range(0, 20).Select(i => ConformanceData.Chunk("r", $"one/{i}.py", $"def one_{i}(): pass")).ToList();
        var fromTwo = Enumerable.Range(0, 20).Select(i => ConformanceData.Chunk("r", $"two/{i}.py", $"def two_{i}(): pass")).ToList();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var c in fromOne) { await one.ApplyFileAsync(ConformanceData.Update("r", c.Path, [c]), Ct); } }, Ct),
            Task.Run(async () => { foreach (var c in fromTwo) { await two.ApplyFileAsync(ConformanceData.Update("r", c.Path, [c]), Ct); } }, Ct));

        Assert.Equal(40, (await one.GetManifestAsync("r", Ct)).Count);
        Assert.Equal(fromTwo[7].Id, (await one.SearchDenseAsync(ConformanceData.VectorOf(fromTwo[7]), 1, Abstractions.Storage.ChunkFilter.None, Ct))[0].ChunkId);
        Assert.Equal(fromOne[3].Id, (await two.SearchDenseAsync(ConformanceData.VectorOf(fromOne[3]), 1, Abstractions.Storage.ChunkFilter.None, Ct))[0].ChunkId);
        await two.RemoveFilesAsync("r", ["one/3.py"], Ct);
        Assert.NotEqual(fromOne[3].Id, (await one.SearchDenseAsync(ConformanceData.VectorOf(fromOne[3]), 1, Abstractions.Storage.ChunkFilter.None, Ct))[0].ChunkId);
    }
}
