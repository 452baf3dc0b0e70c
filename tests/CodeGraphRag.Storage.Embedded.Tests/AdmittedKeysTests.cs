using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// The chunk keys an ACL search admits are kept per repository across commits that leave the repository alone, read again
/// when it changes or when a commit the store did not make may have changed it, and always give the FTS5 reference's hits.
/// </summary>
public sealed class AdmittedKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task WriteAsync(EmbeddedStore store, string repository, string path, params string[] texts) =>
        store.ApplyFileAsync(Update(repository, path, Chunks(repository, path, texts)), Ct);

    private static IReadOnlyList<ScoredChunk> SearchAndCompare(EmbeddedStore store, ChunkFilter filter)
    {
        using var connection = store.OpenConnection();
        string[] terms = ["token", "validate"];
        var expected = EmbeddedStore.LexicalFullQuery(connection, EmbeddedStore.BuildMatchExpression(terms)!, 50, FilterSql.From(filter));
        var actual = store.LexicalFromPostings(connection, terms, 50, filter);
        Assert.NotNull(actual);
        Assert.Equal(expected, actual);
        return actual;
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task AclSearch_CommitsToOtherRepositories_KeepItsKeysAndItsOwnChangesReadThemAgain()
    {
        using var directory = new TempDirectory();
        await using var store = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path));
        foreach (var repository in new[] { "alpha", "beta", "gamma" })
        {
            await WriteAsync(store, repository, "auth.py", $"validate token {repository}", "token refresh");
        }

        var acl = new ChunkFilter(["beta", "gamma"], null, null);
        Assert.Equal(4, SearchAndCompare(store, acl).Count);
        Assert.Equal(2, store.AdmittedKeyReads);

        // Commits to a repository outside the list, and a vector write: the kept keys answer.
        await WriteAsync(store, "alpha", "jwt.py", "validate token signature");
        await store.RemoveFilesAsync("alpha", ["auth.py"], Ct);
        await store.UpsertRepositoryAsync(new RepositoryInfo("alpha", "/src/alpha", "r2", null, null, []), Ct);
        Assert.Equal(4, SearchAndCompare(store, acl).Count);
        Assert.Equal(2, store.AdmittedKeyReads);

        // A write and a removal in beta: beta's keys are read again (gamma's are not), and its new chunk is found.
        await WriteAsync(store, "beta", "jwt.py", "validate token expiry");
        Assert.Equal(5, SearchAndCompare(store, acl).Count);
        Assert.Equal(3, store.AdmittedKeyReads);
        await store.RemoveRepositoryAsync("gamma", Ct);
        Assert.Equal(3, SearchAndCompare(store, acl).Count);
        Assert.Equal(4, store.AdmittedKeyReads);

        // A reader instance on the same directory sees commits it did not make: it reads the keys again after each.
        await using var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, readOnly: true));
        Assert.Equal(3, SearchAndCompare(reader, acl).Count);
        var readsBefore = reader.AdmittedKeyReads;
        await WriteAsync(store, "alpha", "other.py", "validate token again");
        Assert.Equal(3, SearchAndCompare(reader, acl).Count);
        Assert.Equal(readsBefore + 2, reader.AdmittedKeyReads);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ChunkWriteLog_GapsAndTheRepositoryItselfCountAsChanges()
    {
        var log = new ChunkWriteLog();
        log.Note(5, "alpha");
        log.Note(6, null);
        log.Note(8, "beta");

        Assert.True(log.Untouched("beta", 4, 6));
        Assert.True(log.Untouched("beta", 6, 4));
        Assert.False(log.Untouched("alpha", 4, 6));
        Assert.False(log.Untouched("gamma", 6, 8));
        Assert.True(log.Untouched("beta", 8, 8));

        for (var sequence = 9; sequence < 9 + ChunkWriteLog.Capacity + 10; sequence++)
        {
            log.Note(sequence, "alpha");
        }

        Assert.False(log.Untouched("beta", 9, 10 + ChunkWriteLog.Capacity));
        Assert.False(log.Untouched("beta", 8, 12));
        Assert.True(log.Untouched("beta", 20, 30));
    }
}
