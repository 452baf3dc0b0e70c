using System.Text;
using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Grains.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Grains.Tests.Indexing;

[Collection(GrainCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class RepositoryGrainTests : IDisposable
{
    private const string Repo = "acme";

    // Split so that this source file itself does not hold a key pair in the shape secret scanners look for.
    private const string AwsKeyId = "AKIA" + "ZYMLOPIFQY78F5M0";
    private const string AwsSecretKey = "BVXBt7wRkl8OZfIa2AUk" + "7z7gTqBu4wweocv81k2l";
    private readonly TempDirectory _temp = new("cgr-grains");

    [Fact]
    public async Task Sync_FixtureRepository_IndexesEveryFileAndNeverStoresSecrets()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        Directory.CreateDirectory(Path.Combine(tree, "d"));
        File.WriteAllText(Path.Combine(tree, "d", "credentials.csv"), $"Key,Secret\n{AwsKeyId},{AwsSecretKey}\n");
        var dataDirectory = Path.Combine(_temp.Path, "data");
        string[] secrets = ["Zx9vQ2mL7pR4tW8y", "ghp_9aB3cD5eF7gH1iJ2kL4mN6oP8qR0sT2uV4wX", AwsKeyId, AwsSecretKey];
        await using (var harness = await IndexHarness.StartAsync(dataDirectory))
        {
            var result = await harness.SyncAsync(Repo, tree);

            Assert.Equal(SyncPhase.Completed, result.Phase);
            Assert.Equal(9, result.FilesIndexed);
            Assert.Equal(0, result.FilesFailed);
            Assert.True(result.SecretsRedacted >= 4, $"expected the fixture's password and token and the AWS key pair to be redacted, got {result.SecretsRedacted}");
            var manifest = await harness.Store.GetManifestAsync(Repo);
            Assert.Equal("python", manifest["auth/jwt_validator.py"].Language);
            Assert.Equal("csharp", manifest["billing/Invoice.cs"].Language);
            Assert.True(manifest.ContainsKey("d/credentials.csv"));
            var state = await harness.ExportAsync();
            Assert.All(secrets, s => Assert.DoesNotContain(s, state, StringComparison.OrdinalIgnoreCase));
            var hits = await harness.SearchAsync("config file with the github token database password settings");
            Assert.All(hits.Hits, h => Assert.DoesNotContain("Zx9vQ2mL7pR4tW8y", h.Text, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(hits.Hits, h => h.Path == "config/settings.yaml" && h.Text.Contains("[REDACTED:", StringComparison.Ordinal));
            var csvHits = await harness.SearchAsync("Key Secret credentials csv", SearchMode.Lexical);
            Assert.All(csvHits.Hits, h => Assert.DoesNotContain(AwsSecretKey, h.Text, StringComparison.OrdinalIgnoreCase));
            AssertNoFileContains(dataDirectory, secrets, skipLocked: true);
        }

        // Again once every store has closed its files, so nothing still buffered escapes the check.
        AssertNoFileContains(dataDirectory, secrets, skipLocked: false);
    }

    [Fact]
    public async Task Sync_NothingChanged_DoesNoWork()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
        await harness.SyncAsync(Repo, tree);
        var before = await harness.ExportAsync();

        var again = await harness.SyncAsync(Repo, tree);

        Assert.Equal(SyncPhase.Completed, again.Phase);
        Assert.Equal(0, again.FilesToProcess);
        Assert.Equal(0, again.ChunksEmbedded);
        Assert.Equal(8, again.FilesUnchanged);
        Assert.Equal(before, await harness.ExportAsync());
    }

    [Fact]
    public async Task Sync_EditsAddsDeletesAndRenames_EqualsCleanIndexOfFinalTree()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        string incremental;
        await using (var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data-incremental")))
        {
            await harness.SyncAsync(Repo, tree);
            Mutate(tree);
            var result = await harness.SyncAsync(Repo, tree);
            Assert.Equal(SyncPhase.Completed, result.Phase);
            Assert.Equal(2, result.FilesDeleted);
            incremental = await harness.ExportAsync();
        }

        var clean = await CleanIndexAsync(tree, "data-clean");

        Assert.Equal(clean, incremental);
    }

    [Fact]
    public async Task Sync_EmbedderHeldBack_FilesSearchableLexicallyAndThroughTheGraphFirst_VectorsFollow_EqualsCleanIndex()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var embedder = new GatedEmbedder();
        string indexed;
        await using (var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"), embedder: embedder))
        {
            var grain = harness.Repository(Repo);
            await grain.StartSyncAsync(new SyncRequest(tree));
            await embedder.FirstDocumentCall.WaitAsync(TimeSpan.FromMinutes(2));
            var waiting = await grain.GetProgressAsync();

            // Every file is written while no document vector exists yet.
            Assert.Equal(SyncPhase.Embedding, waiting.Phase);
            Assert.NotNull(waiting.SearchableAfter);
            Assert.Equal(8, waiting.FilesIndexed);
            Assert.True(waiting.ChunksWritten > 0);
            Assert.Equal(waiting.ChunksWritten, waiting.ChunksAwaitingVectors);
            var stats = await harness.Store.GetStatsAsync(Repo);
            Assert.Equal(stats.Chunks, stats.ChunksAwaitingVectors);
            var lexical = await harness.SearchAsync("jwt validator leeway", SearchMode.Lexical);
            Assert.Contains(lexical.Hits, h => h.Path == "auth/jwt_validator.py");
            Assert.Empty((await harness.SearchAsync("reject a signed login credential whose lifetime has passed", SearchMode.Dense)).Hits);
            var hybrid = await harness.SearchAsync("invoice total rounding", SearchMode.HybridGraph);
            var total = Assert.Single(hybrid.Hits, h => h.Symbol == "Acme.Billing.Invoice.Total");
            Assert.Contains(total.Related, r => r.Relation == GraphRelation.Callee && r.Symbol.EndsWith(".Apply", StringComparison.Ordinal));
            Assert.Null((await harness.Store.GetRepositoryAsync(Repo))!.LastSyncCompleted);

            embedder.Release();
            var done = await IndexHarness.WaitAsync(grain, TimeSpan.FromMinutes(3));

            Assert.Equal(SyncPhase.Completed, done.Phase);
            Assert.Equal(0, done.ChunksAwaitingVectors);
            Assert.Equal(waiting.ChunksWritten, done.ChunksEmbedded);
            Assert.Equal(0, (await harness.Store.GetStatsAsync(Repo)).ChunksAwaitingVectors);
            Assert.Equal("auth/jwt_validator.py", (await harness.SearchAsync("reject a signed login credential whose lifetime has passed", SearchMode.Dense)).Hits[0].Path);
            indexed = await harness.ExportAsync();
        }

        Assert.Equal(await CleanIndexAsync(tree, "data-clean"), indexed);
    }

    [Fact]
    public async Task Sync_DeferEmbeddingOff_NoFileWrittenBeforeItsVectors_EqualsCleanIndex()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var embedder = new GatedEmbedder();
        string indexed;
        await using (var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"), indexing: o => o.DeferEmbedding = false, embedder: embedder))
        {
            var grain = harness.Repository(Repo);
            await grain.StartSyncAsync(new SyncRequest(tree));
            await embedder.FirstDocumentCall.WaitAsync(TimeSpan.FromMinutes(2));

            // The way a backend without pending vectors (Milvus) indexes: a file is written only with its vectors.
            Assert.Equal(SyncPhase.Processing, (await grain.GetProgressAsync()).Phase);
            Assert.Equal(0, (await harness.Store.GetStatsAsync(Repo)).Chunks);

            embedder.Release();
            var done = await IndexHarness.WaitAsync(grain, TimeSpan.FromMinutes(3));

            Assert.Equal(SyncPhase.Completed, done.Phase);
            Assert.Equal(0, done.ChunksAwaitingVectors);
            Assert.Equal(done.ChunksWritten, done.ChunksEmbedded);
            Assert.Equal(0, (await harness.Store.GetStatsAsync(Repo)).ChunksAwaitingVectors);
            indexed = await harness.ExportAsync();
        }

        Assert.Equal(await CleanIndexAsync(tree, "data-clean"), indexed);
    }

    [Fact]
    public async Task Sync_StoppedWhileEmbedding_NextSyncEmbedsOnlyTheMissingVectors_EqualsCleanIndex()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var data = Path.Combine(_temp.Path, "data");
        var embedder = new GatedEmbedder();
        long awaiting;
        await using (var harness = await IndexHarness.StartAsync(data, embedder: embedder))
        {
            await harness.Repository(Repo).StartSyncAsync(new SyncRequest(tree));
            await embedder.FirstDocumentCall.WaitAsync(TimeSpan.FromMinutes(2));
            awaiting = (await harness.Repository(Repo).GetProgressAsync()).ChunksAwaitingVectors;
            Assert.True(awaiting > 0);

            // The silo stops mid-embedding: the sync is cancelled, and the call it waited on never answers.
            await harness.Repository(Repo).CancelAsync();
            Assert.Equal(SyncPhase.Cancelled, (await IndexHarness.WaitAsync(harness.Repository(Repo), TimeSpan.FromMinutes(2))).Phase);
            embedder.Abandon();
        }

        string resumed;
        await using (var harness = await IndexHarness.StartAsync(data))
        {
            Assert.Equal(awaiting, (await harness.Store.GetStatsAsync(Repo)).ChunksAwaitingVectors);
            Assert.Contains((await harness.SearchAsync("jwt validator leeway", SearchMode.Lexical)).Hits, h => h.Path == "auth/jwt_validator.py");

            var finished = await harness.SyncAsync(Repo, tree);

            Assert.Equal(SyncPhase.Completed, finished.Phase);
            Assert.Equal(0, finished.FilesToProcess);
            Assert.Equal(awaiting, finished.ChunksEmbedded);
            Assert.Equal(0, (await harness.Store.GetStatsAsync(Repo)).ChunksAwaitingVectors);
            resumed = await harness.ExportAsync();
        }

        Assert.Equal(0, embedder.DocumentTexts);
        Assert.Equal(await CleanIndexAsync(tree, "data-clean"), resumed);
    }

    [Fact]
    public async Task Sync_PipelineVersionBump_ReprocessesExactlyTheAffectedLanguage()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
        await harness.SyncAsync(Repo, tree);

        harness.Parser.Bump("python");
        var result = await harness.SyncAsync(Repo, tree);

        Assert.Equal(2, result.FilesToProcess);
        Assert.Equal(2, result.FilesIndexed);
        Assert.Equal(6, result.FilesUnchanged);
        Assert.Equal(0, result.ChunksEmbedded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    public async Task Sync_CancelledAtAFileBoundary_NextSyncEqualsCleanIndex(int writesBeforeCancel)
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        string resumed;
        await using (var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data-resumed")))
        {
            harness.Writer.HoldAfter(writesBeforeCancel);
            var grain = harness.Repository(Repo);
            await grain.StartSyncAsync(new SyncRequest(tree));
            await harness.Writer.Reached.WaitAsync(TimeSpan.FromMinutes(2));
            await grain.CancelAsync();
            harness.Writer.Release();
            var cancelled = await IndexHarness.WaitAsync(grain, TimeSpan.FromMinutes(2));
            Assert.Equal(SyncPhase.Cancelled, cancelled.Phase);
            Assert.Null((await harness.Store.GetRepositoryAsync(Repo))!.LastSyncCompleted);

            var finished = await harness.SyncAsync(Repo, tree);
            Assert.Equal(SyncPhase.Completed, finished.Phase);
            resumed = await harness.ExportAsync();
        }

        Assert.Equal(await CleanIndexAsync(tree, "data-clean"), resumed);
    }

    [Fact]
    public async Task Sync_BackendFailsMidway_FailsWithoutCompletingAndNextSyncRepairs()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        string repaired;
        await using (var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data-failed")))
        {
            harness.Writer.FailAfter(4);
            var failed = await harness.SyncAsync(Repo, tree);
            Assert.Equal(SyncPhase.Failed, failed.Phase);
            Assert.Contains("simulated backend timeout", failed.Error, StringComparison.Ordinal);
            Assert.Null((await harness.Store.GetRepositoryAsync(Repo))!.LastSyncCompleted);

            harness.Writer.Release();
            var finished = await harness.SyncAsync(Repo, tree);
            Assert.Equal(SyncPhase.Completed, finished.Phase);
            repaired = await harness.ExportAsync();
        }

        Assert.Equal(await CleanIndexAsync(tree, "data-clean"), repaired);
    }

    [Fact]
    public async Task Sync_NoEmbedderSilo_WaitsThenFailsUnavailableWithoutAdvancingTheManifest()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        await using var harness = await IndexHarness.StartAsync(
            Path.Combine(_temp.Path, "data"),
            Hosting.SiloRoles.Indexer | Hosting.SiloRoles.Query,
            o =>
            {
                o.EmbedderWaitTimeout = TimeSpan.FromSeconds(2);
                o.EmbedderProbeInterval = TimeSpan.FromMilliseconds(100);
            });
        var grain = harness.Repository(Repo);

        await grain.StartSyncAsync(new SyncRequest(tree));
        var phases = new HashSet<SyncPhase>();
        SyncProgress progress;
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20)))
        {
            do
            {
                progress = await grain.GetProgressAsync();
                phases.Add(progress.Phase);
            }
            while (!progress.IsFinished && await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken));
        }

        Assert.True(phases.Contains(SyncPhase.WaitingForEmbedder), $"phases {string.Join(",", phases)}; error {progress.Error}");
        Assert.Equal(SyncPhase.Failed, progress.Phase);
        Assert.Equal(SyncErrorCodes.EmbedderUnavailable, progress.ErrorCode);
        Assert.Contains("EmbedderWaitTimeout", progress.Error, StringComparison.Ordinal);
        Assert.Empty(await harness.Store.GetManifestAsync(Repo));
        Assert.Null((await harness.Store.GetRepositoryAsync(Repo))?.LastSyncCompleted);
    }

    [Fact]
    public async Task Sync_GitUrlSource_MirrorsAndIndexesOnlyWhatTheNewCommitChanged()
    {
        var origin = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "origin"));
        GitCommand.Run(origin, "init", "-q");
        GitCommand.Run(origin, "add", "-A");
        GitCommand.Run(origin, "commit", "-q", "-m", "one");
        var url = new Uri(origin).AbsoluteUri;
        var cache = Path.Combine(_temp.Path, "git-cache");
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"), indexing: o => o.GitCacheDirectory = cache);

        var first = await harness.SyncAsync(Repo, url);
        Assert.Equal(SyncPhase.Completed, first.Phase);
        Assert.True(first.FilesIndexed > 3);

        File.AppendAllText(Path.Combine(origin, "docs", "README.md"), "\nA new paragraph about retries.\n");
        GitCommand.Run(origin, "rm", "-q", "auth/keys.py");
        GitCommand.Run(origin, "add", "-A");
        GitCommand.Run(origin, "commit", "-q", "-m", "two");
        var head = GitCommand.Run(origin, "rev-parse", "HEAD").Trim();
        var second = await harness.SyncAsync(Repo, url);

        Assert.Equal(SyncPhase.Completed, second.Phase);
        Assert.Equal(1, second.FilesIndexed);
        Assert.Equal(1, second.FilesDeleted);
        var repository = await harness.Store.GetRepositoryAsync(Repo);
        Assert.Equal(head, repository!.Revision);
        Assert.DoesNotContain("auth/keys.py", (await harness.Store.GetManifestAsync(Repo)).Keys);
        Assert.Single(Directory.GetDirectories(cache));
    }

    [Fact]
    public async Task Sync_ForkWithSameFiles_EmbedsNothingNew()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));
        var first = await harness.SyncAsync(Repo, tree);

        var fork = await harness.SyncAsync("acme-fork", tree);

        Assert.True(first.ChunksEmbedded > 0);
        Assert.Equal(8, fork.FilesIndexed);
        Assert.Equal(0, fork.ChunksEmbedded);
    }

    [Fact]
    public async Task Sync_BadInput_RecordsSkipsAndFailuresAndGoesOn()
    {
        var tree = Path.Combine(_temp.Path, "bad");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "good.py"), "def ok():\n    return 1\n");
        File.WriteAllBytes(Path.Combine(tree, "image.py"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]);
        File.WriteAllBytes(Path.Combine(tree, "latin1.py"), Encoding.Latin1.GetBytes("name = 'caf\u00e9'\n"));
        // Invalid UTF-8, and 0x81 is no Windows-1252 character: no decoding applies.
        File.WriteAllBytes(Path.Combine(tree, "undecodable.py"), [(byte)'x', (byte)'=', 0xFF, 0x81, (byte)'\n']);
        File.WriteAllBytes(Path.Combine(tree, "wide.py"), [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("def wide():\n    return 2\n")]);
        File.WriteAllText(Path.Combine(tree, "huge.txt"), new string('x', 2 * 1024 * 1024));
        File.WriteAllText(Path.Combine(tree, "empty.js"), string.Empty);
        File.WriteAllText(Path.Combine(tree, "notes.unknownext"), "just some words\n");
        File.WriteAllText(Path.Combine(tree, "nested.py"), "x = " + string.Concat(Enumerable.Repeat("(\n", 3000)) + "1" + string.Concat(Enumerable.Repeat(")\n", 3000)));
        File.CreateSymbolicLink(Path.Combine(tree, "outside"), "/etc");
        Directory.CreateDirectory(Path.Combine(tree, "loop"));
        File.CreateSymbolicLink(Path.Combine(tree, "loop", "again"), Path.Combine(tree, "loop"));
        await using var harness = await IndexHarness.StartAsync(Path.Combine(_temp.Path, "data"));

        var result = await harness.SyncAsync("bad", tree);

        Assert.Equal(SyncPhase.Completed, result.Phase);
        var manifest = await harness.Store.GetManifestAsync("bad");
        Assert.True(manifest["good.py"].Status == FileStatus.Indexed, $"good.py: {manifest["good.py"].Status} {manifest["good.py"].Reason}");
        Assert.True(manifest["wide.py"].Status == FileStatus.Indexed, $"wide.py: {manifest["wide.py"].Status} {manifest["wide.py"].Reason}");
        Assert.True(manifest["nested.py"].Status == FileStatus.Indexed, $"nested.py: {manifest["nested.py"].Status} {manifest["nested.py"].Reason}");
        Assert.True(manifest["notes.unknownext"].Status == FileStatus.Indexed, $"notes.unknownext: {manifest["notes.unknownext"].Status} {manifest["notes.unknownext"].Reason}");
        Assert.True(manifest["empty.js"].Status == FileStatus.Indexed, $"empty.js: {manifest["empty.js"].Status} {manifest["empty.js"].Reason}");
        Assert.Equal(("binary", FileStatus.Skipped), (manifest["image.py"].Reason, manifest["image.py"].Status));
        Assert.Equal(("too-large", FileStatus.Skipped), (manifest["huge.txt"].Reason, manifest["huge.txt"].Status));
        Assert.True(manifest["latin1.py"].Status == FileStatus.Indexed, $"latin1.py: {manifest["latin1.py"].Status} {manifest["latin1.py"].Reason}");
        Assert.Equal(FileStatus.Failed, manifest["undecodable.py"].Status);
        Assert.Contains("UTF-8", manifest["undecodable.py"].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FileStatus.Skipped, manifest["outside"].Status);
        Assert.Equal(1, result.FilesFailed);
        var wide = await harness.SearchAsync("wide", top: 5, repository: "bad");
        Assert.Contains(wide.Hits, h => h.Path == "wide.py");
        var latin1 = await harness.SearchAsync("caf\u00e9", top: 5, repository: "bad");
        Assert.Contains(latin1.Hits, h => h.Path == "latin1.py" && h.Text.Contains("caf\u00e9", StringComparison.Ordinal));
    }

    private async Task<string> CleanIndexAsync(string tree, string dataName)
    {
        await using var clean = await IndexHarness.StartAsync(Path.Combine(_temp.Path, dataName));
        var result = await clean.SyncAsync(Repo, tree);
        Assert.Equal(SyncPhase.Completed, result.Phase);
        return await clean.ExportAsync();
    }

    private static void Mutate(string tree)
    {
        // edit: change a method body
        var validator = Path.Combine(tree, "auth", "jwt_validator.py");
        File.WriteAllText(validator, File.ReadAllText(validator).Replace("self.leeway_seconds < now", "self.leeway_seconds <= now", StringComparison.Ordinal));
        // edit that moves lines: insert a comment at the top of a file (ids stay, spans change)
        var cache = Path.Combine(tree, "storage", "cache.go");
        File.WriteAllText(cache, "// Package storage holds in-memory caches.\n" + File.ReadAllText(cache));
        // add
        File.WriteAllText(Path.Combine(tree, "billing", "discount.py"), "def apply_discount(total, percent):\n    return total * (100 - percent) / 100\n");
        // delete
        File.Delete(Path.Combine(tree, "docs", "README.md"));
        // rename
        File.Move(Path.Combine(tree, "util", "RetryPolicy.java"), Path.Combine(tree, "util", "Backoff.java"));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Reads every file under <paramref name="directory"/> as raw bytes and fails if any secret occurs in it, in any letter case
    /// (the lexical index keeps lower-cased terms). With <paramref name="skipLocked"/>, files a running store holds exclusively
    /// (its write lock) are skipped; after the stores close, every file must be readable.
    /// </summary>
    private static void AssertNoFileContains(string directory, IReadOnlyList<string> secrets, bool skipLocked)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var copy = new MemoryStream();
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.CopyTo(copy);
            }
            catch (IOException) when (skipLocked)
            {
                continue;
            }

            // Latin-1 maps each byte to one char, so an ASCII secret stored as UTF-8 is found whatever surrounds it.
            var content = Encoding.Latin1.GetString(copy.GetBuffer(), 0, (int)copy.Length);
            foreach (var secret in secrets)
            {
                Assert.False(content.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is stored in {file}");
            }
        }
    }
}
