using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using Xunit;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>
/// The contract of <see cref="IIndexWriter"/>, <see cref="IRepositoryCatalog"/> and <see cref="IChunkStore"/> that every
/// backend proves by subclassing and supplying <see cref="CreateStoreAsync"/>.
/// </summary>
public abstract class ChunkStoreConformanceTests
{
    private static readonly ChunkFilter All = ChunkFilter.None;

    /// <summary>A fresh, empty backend configured for <see cref="ConformanceData.Dimensions"/>-dimensional vectors.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    /// <summary>Backends that can dump their logical state assert here that both stores hold the same data.</summary>
    protected virtual Task AssertSameLogicalStateAsync(StoreUnderTest expected, StoreUnderTest actual) => Task.CompletedTask;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_NewFile_ChunksFoundByBothSearchesAndManifest()
    {
        await using var store = await CreateStoreAsync();
        var chunks = Chunks("r", "src/auth.py", "def validate_token(token): return jwt.decode(token)", "def refresh_session(user): pass");

        await store.Writer.ApplyFileAsync(Update("r", "src/auth.py", chunks), Ct);

        var lexical = await store.Chunks.SearchLexicalAsync(["validate_token"], 10, All, Ct);
        Assert.Equal(chunks[0].Id, Assert.Single(lexical).ChunkId);
        Assert.True(lexical[0].Score > 0);
        var dense = await store.Chunks.SearchDenseAsync(VectorOf(chunks[1]), 1, All, Ct);
        Assert.Equal(chunks[1].Id, Assert.Single(dense).ChunkId);
        Assert.Equal(1.0, dense[0].Score, 3);
        var manifest = await store.Catalog.GetManifestAsync("r", Ct);
        Assert.Equal(2, manifest["src/auth.py"].ChunkCount);
        var stored = await store.Chunks.GetChunksAsync([chunks[0].Id, "missing"], Ct);
        Assert.Equal(chunks[0], Assert.Single(stored));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_FileClasses_StoredReturnedAndFilteredInBothSearches()
    {
        await using var store = await CreateStoreAsync();
        var code = Chunks("r", "src/retry.py", "def retry_policy(attempts): return backoff(attempts)  # retry");
        var changelog = Chunks("r", "CHANGELOG.md", "retry policy added with exponential backoff").ConvertAll(c => c with { Class = FileClass.Changelog });
        var test = Chunks("r", "tests/test_retry.py", "def test_retry_policy(): assert retry_policy(3)  # retry").ConvertAll(c => c with { Class = FileClass.Test });
        await store.Writer.ApplyFileAsync(Update("r", "src/retry.py", code), Ct);
        var changelogUpdate = Update("r", "CHANGELOG.md", changelog, language: "markdown");
        await store.Writer.ApplyFileAsync(changelogUpdate with { File = changelogUpdate.File with { Class = FileClass.Changelog } }, Ct);
        var testUpdate = Update("r", "tests/test_retry.py", test);
        await store.Writer.ApplyFileAsync(testUpdate with { File = testUpdate.File with { Class = FileClass.Test } }, Ct);

        var stored = await store.Chunks.GetChunksAsync([code[0].Id, changelog[0].Id, test[0].Id], Ct);
        Assert.Equal([FileClass.Changelog, FileClass.Code, FileClass.Test], stored.OrderBy(c => c.Path, StringComparer.Ordinal).Select(c => c.Class));
        var manifest = await store.Catalog.GetManifestAsync("r", Ct);
        Assert.Equal((FileClass.Code, FileClass.Changelog, FileClass.Test), (manifest["src/retry.py"].Class, manifest["CHANGELOG.md"].Class, manifest["tests/test_retry.py"].Class));

        var onlyTests = new ChunkFilter(null, null, null, [FileClass.Test]);
        var noChangelog = new ChunkFilter(null, null, null, null, [FileClass.Changelog]);
        var nothing = new ChunkFilter(null, null, null, [FileClass.Changelog], [FileClass.Changelog]);
        Assert.Equal([test[0].Id], (await store.Chunks.SearchLexicalAsync(["retry"], 10, onlyTests, Ct)).Select(h => h.ChunkId));
        Assert.Equal(
            new[] { code[0].Id, test[0].Id }.Order(StringComparer.Ordinal),
            (await store.Chunks.SearchLexicalAsync(["retry"], 10, noChangelog, Ct)).Select(h => h.ChunkId).Order(StringComparer.Ordinal));
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["retry"], 10, nothing, Ct));
        Assert.Equal([test[0].Id], (await store.Chunks.SearchDenseAsync(VectorOf(code[0]), 1, onlyTests, Ct)).Select(h => h.ChunkId));
        Assert.DoesNotContain(changelog[0].Id, (await store.Chunks.SearchDenseAsync(VectorOf(changelog[0]), 3, noChangelog, Ct)).Select(h => h.ChunkId));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchFilesLexical_WordsSpreadOverAFilesChunks_RankItAsOneDocument_FilteredAndRemovedWithTheFile()
    {
        await using var store = await CreateStoreAsync();
        var spread = Chunks("r", "src/upload.py", "def upload(blob): pass  # upload", "def retry(): pass  # retry", "def backoff(): pass  # backoff");
        var single = Chunks("r", "src/misc.py", "def helper(): pass  # upload upload upload", "def unrelated(): pass  # nothing");
        var docs = Chunks("r", "docs/upload.md", "upload retry backoff upload retry backoff").ConvertAll(c => c with { Class = FileClass.Docs });
        await store.Writer.ApplyFileAsync(Update("r", "src/upload.py", spread), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "src/misc.py", single), Ct);
        var docsUpdate = Update("r", "docs/upload.md", docs, language: "markdown");
        await store.Writer.ApplyFileAsync(docsUpdate with { File = docsUpdate.File with { Class = FileClass.Docs } }, Ct);

        var files = await store.Chunks.SearchFilesLexicalAsync(["upload", "retry", "backoff"], 10, new ChunkFilter(null, null, null, [FileClass.Code]), Ct);
        Assert.Equal(["src/upload.py", "src/misc.py"], files.Select(f => f.Path));
        Assert.All(files, f => Assert.Equal(FileClass.Code, f.Class));
        Assert.True(files[0].Score > files[1].Score);
        Assert.Equal("docs/upload.md", Assert.Single(await store.Chunks.SearchFilesLexicalAsync(["backoff"], 10, new ChunkFilter(null, ["markdown"], null), Ct)).Path);
        Assert.Empty(await store.Chunks.SearchFilesLexicalAsync(["backoff"], 10, new ChunkFilter([], null, null), Ct));

        await store.Writer.RemoveFilesAsync("r", ["src/upload.py"], Ct);
        Assert.DoesNotContain("src/upload.py", (await store.Chunks.SearchFilesLexicalAsync(["upload", "retry", "backoff"], 10, ChunkFilter.None, Ct)).Select(f => f.Path));
        await store.Writer.RemoveRepositoryAsync("r", Ct);
        Assert.Empty(await store.Chunks.SearchFilesLexicalAsync(["upload"], 10, ChunkFilter.None, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_KeptChunkWithoutVector_KeepsVectorAndTakesNewLines()
    {
        await using var store = await CreateStoreAsync();
        var v1 = Chunks("r", "a.py", "def kept(): return 1", "def dropped(): return 2");
        await store.Writer.ApplyFileAsync(Update("r", "a.py", v1), Ct);
        var moved = v1[0] with { StartLine = 40, EndLine = 40 };
        var added = Chunk("r", "a.py", "def added(): return 3", startLine: 50);

        await store.Writer.ApplyFileAsync(Update("r", "a.py", [moved, added], vectorsFor: [added]), Ct);

        var keys = await store.Writer.GetEmbeddingKeysAsync("r", "a.py", Ct);
        Assert.Equal(new Dictionary<string, string> { [moved.Id] = moved.EmbeddingKey, [added.Id] = added.EmbeddingKey }, keys);
        Assert.Equal(40, Assert.Single(await store.Chunks.GetChunksAsync([moved.Id], Ct)).StartLine);
        Assert.Equal(moved.Id, (await store.Chunks.SearchDenseAsync(VectorOf(moved), 1, All, Ct))[0].ChunkId);
        Assert.Empty(await store.Chunks.GetChunksAsync([v1[1].Id], Ct));
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["dropped"], 10, All, Ct));
        Assert.DoesNotContain(await store.Chunks.SearchDenseAsync(VectorOf(v1[1]), 10, All, Ct), h => h.ChunkId == v1[1].Id);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_ChangedEmbeddingKey_ReplacesVector()
    {
        await using var store = await CreateStoreAsync();
        var original = Chunk("r", "a.py", "def f(): return 1", symbolPath: "f");
        await store.Writer.ApplyFileAsync(Update("r", "a.py", [original]), Ct);
        var rekeyed = original with { EmbeddingKey = ChunkIds.Hash("new header" + original.Text) };

        await store.Writer.ApplyFileAsync(Update("r", "a.py", [rekeyed]), Ct);

        Assert.Equal(rekeyed.EmbeddingKey, (await store.Writer.GetEmbeddingKeysAsync("r", "a.py", Ct))[rekeyed.Id]);
        var hit = Assert.Single(await store.Chunks.SearchDenseAsync(VectorOf(rekeyed), 1, All, Ct));
        Assert.Equal(1.0, hit.Score, 3);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_NewChunkWithoutVector_ThrowsAndChangesNothing()
    {
        await using var store = await CreateStoreAsync();
        var first = Chunk("r", "a.py", "def first(): pass");
        await store.Writer.ApplyFileAsync(Update("r", "a.py", [first]), Ct);
        var second = Chunk("r", "a.py", "def second(): pass");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.Writer.ApplyFileAsync(Update("r", "a.py", [second], vectorsFor: []), Ct));

        Assert.Single(await store.Chunks.GetChunksAsync([first.Id], Ct));
        Assert.Empty(await store.Chunks.GetChunksAsync([second.Id], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RemoveFiles_TwiceAndUnknownPaths_DeletesEverywhereIdempotently()
    {
        await using var store = await CreateStoreAsync();
        var gone = Chunks("r", "gone.py", "def vanish(): pass");
        var stays = Chunks("r", "stays.py", "def remain(): pass");
        await store.Writer.ApplyFileAsync(Update("r", "gone.py", gone), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "stays.py", stays), Ct);

        await store.Writer.RemoveFilesAsync("r", ["gone.py", "never-existed.py"], Ct);
        await store.Writer.RemoveFilesAsync("r", ["gone.py"], Ct);

        Assert.Equal(["stays.py"], (await store.Catalog.GetManifestAsync("r", Ct)).Keys);
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["vanish"], 10, All, Ct));
        Assert.Empty(await store.Chunks.GetChunksAsync([gone[0].Id], Ct));
        Assert.Empty(await store.Writer.GetEmbeddingKeysAsync("r", "gone.py", Ct));
        Assert.Equal([stays[0].Id], (await store.Chunks.SearchDenseAsync(VectorOf(gone[0]), 10, All, Ct)).Select(h => h.ChunkId));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task RemoveRepository_TwiceAndUnknown_DeletesOnlyThatRepository()
    {
        await using var store = await CreateStoreAsync();
        await store.Catalog.UpsertRepositoryAsync(new RepositoryInfo("a", "/src/a", null, null, null, []), Ct);
        await store.Catalog.UpsertRepositoryAsync(new RepositoryInfo("b", "/src/b", null, null, null, ["team"]), Ct);
        await store.Writer.ApplyFileAsync(Update("a", "x.py", Chunks("a", "x.py", "def shared_name(): pass")), Ct);
        await store.Writer.ApplyFileAsync(Update("b", "x.py", Chunks("b", "x.py", "def shared_name(): return 0")), Ct);

        await store.Writer.RemoveRepositoryAsync("a", Ct);
        await store.Writer.RemoveRepositoryAsync("a", Ct);
        await store.Writer.RemoveRepositoryAsync("unknown", Ct);

        Assert.Null(await store.Catalog.GetRepositoryAsync("a", Ct));
        Assert.Equal(["b"], (await store.Catalog.ListRepositoriesAsync(Ct)).Select(r => r.Name));
        Assert.Equal(["team"], (await store.Catalog.GetRepositoryAsync("b", Ct))!.ReadGroups);
        Assert.Empty(await store.Catalog.GetManifestAsync("a", Ct));
        var hits = await store.Chunks.SearchLexicalAsync(["shared_name"], 10, All, Ct);
        Assert.Equal(ChunkIds.ChunkId("b", "x.py", ChunkIds.Hash("def shared_name(): return 0"), 0), Assert.Single(hits).ChunkId);
        Assert.Single(await store.Chunks.SearchDenseAsync(Vector("anything"), 10, All, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task IncrementalSync_V1ThenV2_EqualsCleanIndexOfV2()
    {
        await using var incremental = await CreateStoreAsync();
        await using var rebuilt = await CreateStoreAsync();
        foreach (var update in Version1())
        {
            await incremental.Writer.ApplyFileAsync(update, Ct);
        }

        var v2 = Version2(await incremental.Writer.GetEmbeddingKeysAsync("r", "a.py", Ct));
        foreach (var update in v2.Updates)
        {
            await incremental.Writer.ApplyFileAsync(update, Ct);
        }

        await incremental.Writer.RemoveFilesAsync("r", v2.Removed, Ct);
        foreach (var update in v2.CleanUpdates)
        {
            await rebuilt.Writer.ApplyFileAsync(update, Ct);
        }

        Assert.Equal(
            (await rebuilt.Catalog.GetManifestAsync("r", Ct)).OrderBy(p => p.Key, StringComparer.Ordinal),
            (await incremental.Catalog.GetManifestAsync("r", Ct)).OrderBy(p => p.Key, StringComparer.Ordinal));
        foreach (var terms in (string[][])[["alpha"], ["beta", "gamma"], ["delta"], ["epsilon", "alpha"], ["removed"]])
        {
            var expected = await rebuilt.Chunks.SearchLexicalAsync(terms, 10, All, Ct);
            var actual = await incremental.Chunks.SearchLexicalAsync(terms, 10, All, Ct);
            Assert.Equal(expected.Select(h => h.ChunkId), actual.Select(h => h.ChunkId));
            Assert.Equal(expected.Select(h => Math.Round(h.Score, 6)), actual.Select(h => Math.Round(h.Score, 6)));
        }

        foreach (var seed in (string[])["q1", "q2", "q3"])
        {
            var expected = await rebuilt.Chunks.SearchDenseAsync(Vector(seed), 5, All, Ct);
            var actual = await incremental.Chunks.SearchDenseAsync(Vector(seed), 5, All, Ct);
            Assert.Equal(expected.Select(h => h.ChunkId), actual.Select(h => h.ChunkId));
        }

        await AssertSameLogicalStateAsync(rebuilt, incremental);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Search_RepositoryLanguageAndPathFilters_RestrictBothSearchKinds()
    {
        await using var store = await CreateStoreAsync();
        var py = Chunk("a", "src/auth/token.py", "def parse_token(): pass");
        var go = Chunk("a", "cmd/token.go", "func parse_token() {}", language: "go");
        var other = Chunk("b", "src/auth/token.py", "def parse_token(): return None");
        await store.Writer.ApplyFileAsync(Update("a", py.Path, [py]), Ct);
        await store.Writer.ApplyFileAsync(Update("a", go.Path, [go], language: "go"), Ct);
        await store.Writer.ApplyFileAsync(Update("b", other.Path, [other]), Ct);
        var cases = new (ChunkFilter Filter, string[] Expected)[]
        {
            (new ChunkFilter(["a"], null, null), [py.Id, go.Id]),
            (new ChunkFilter(null, ["go"], null), [go.Id]),
            (new ChunkFilter(null, null, "src/*"), [py.Id, other.Id]),
            (new ChunkFilter(null, null, "*/token.p?"), [py.Id, other.Id]),
            (new ChunkFilter(["b"], ["python"], "src/auth/*.py"), [other.Id]),
            (new ChunkFilter([], null, null), []),
            (new ChunkFilter(["missing"], null, null), []),
        };

        foreach (var (filter, expected) in cases)
        {
            var lexical = await store.Chunks.SearchLexicalAsync(["parse_token"], 10, filter, Ct);
            Assert.Equal(expected.Order(StringComparer.Ordinal), lexical.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
            var dense = await store.Chunks.SearchDenseAsync(VectorOf(py), 10, filter, Ct);
            Assert.Equal(expected.Order(StringComparer.Ordinal), dense.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EmptyInputs_NoChunksEmptyTermsZeroK_ReturnNothingWithoutError()
    {
        await using var store = await CreateStoreAsync();
        Assert.Empty(await store.Chunks.SearchDenseAsync(Vector("q"), 10, All, Ct));
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["anything"], 10, All, Ct));

        await store.Writer.ApplyFileAsync(Update("r", "empty.py", []), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "a.py", Chunks("r", "a.py", "def f(): pass")), Ct);

        Assert.Equal(0, (await store.Catalog.GetManifestAsync("r", Ct))["empty.py"].ChunkCount);
        Assert.Empty(await store.Chunks.SearchLexicalAsync([], 10, All, Ct));
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["", "   ", "\t"], 10, All, Ct));
        Assert.Empty(await store.Chunks.SearchLexicalAsync(["f"], 0, All, Ct));
        Assert.Empty(await store.Chunks.SearchDenseAsync(Vector("q"), 0, All, Ct));
        Assert.Empty(await store.Chunks.GetChunksAsync([], Ct));
        Assert.Empty(await store.Writer.GetEmbeddingKeysAsync("r", "empty.py", Ct));
        await store.Writer.RemoveFilesAsync("r", [], Ct);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task HugeInputs_OneMegabyteChunkAndFiveThousandChunks_StoredAndSearchable()
    {
        await using var store = await CreateStoreAsync();
        var filler = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 40_000));
        var big = Chunk("r", "big.txt", filler[..500_000] + " needle_in_haystack " + filler[500_000..], language: "text");
        var many = Enumerable.Range(0, 5000).Select(i => Chunk("r", "many.py", $"def function_{i}(): return {i}", startLine: i + 1)).ToList();

        await store.Writer.ApplyFileAsync(Update("r", "big.txt", [big], language: "text"), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "many.py", many), Ct);

        Assert.True(big.Text.Length > 1_000_000);
        Assert.Equal(big.Id, Assert.Single(await store.Chunks.SearchLexicalAsync(["needle_in_haystack"], 5, All, Ct)).ChunkId);
        Assert.Equal(big.Text, Assert.Single(await store.Chunks.GetChunksAsync([big.Id], Ct)).Text);
        Assert.Equal(many[4321].Id, Assert.Single(await store.Chunks.SearchLexicalAsync(["function_4321"], 5, All, Ct)).ChunkId);
        Assert.Equal(many[777].Id, (await store.Chunks.SearchDenseAsync(VectorOf(many[777]), 1, All, Ct))[0].ChunkId);
        Assert.Equal(5000, (await store.Catalog.GetManifestAsync("r", Ct))["many.py"].ChunkCount);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Unicode_PathsIdentifiersAndText_RoundTripAndSearch()
    {
        await using var store = await CreateStoreAsync();
        const string path = "src/ünïcødé/файл_模块.py";
        var chunk = Chunk("репо", path, "def получитьДанные(): return '🚀 données 数据'", symbolPath: "получитьДанные");

        await store.Writer.ApplyFileAsync(Update("репо", path, [chunk]), Ct);

        Assert.Equal(chunk.Id, Assert.Single(await store.Chunks.SearchLexicalAsync(["получитьданные"], 5, All, Ct)).ChunkId);
        Assert.Equal(chunk.Id, Assert.Single(await store.Chunks.SearchLexicalAsync(["数据"], 5, All, Ct)).ChunkId);
        Assert.Single(await store.Chunks.SearchLexicalAsync(["données"], 5, new ChunkFilter(["репо"], null, "src/ünïcødé/*"), Ct), h => h.ChunkId == chunk.Id);
        Assert.Equal(chunk, Assert.Single(await store.Chunks.GetSymbolChunksAsync("репо", path, "получитьДанные", Ct)));
        Assert.Contains(path, (await store.Catalog.GetManifestAsync("репо", Ct)).Keys);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetSymbolsChunks_ManySymbols_SameAsOneLookupEach()
    {
        await using var store = await CreateStoreAsync();
        var second = Chunk("a", "m.py", "    return total", symbolPath: "Cart.total", startLine: 20);
        var first = Chunk("a", "m.py", "def total(self):\n    total = 0", symbolPath: "Cart.total", startLine: 10);
        var other = Chunk("a", "m.py", "def other(): pass", symbolPath: "other", startLine: 30);
        var top = Chunk("a", "m.py", "import os", startLine: 1);
        var sameNameElsewhere = Chunk("b", "m.py", "def total(self): return 1", symbolPath: "Cart.total", startLine: 10);
        await store.Writer.ApplyFileAsync(Update("a", "m.py", [second, other, top, first]), Ct);
        await store.Writer.ApplyFileAsync(Update("b", "m.py", [sameNameElsewhere]), Ct);
        SymbolKey[] requested =
        [
            new("a", "m.py", "Cart.total"), new("b", "m.py", "Cart.total"), new("a", "m.py", string.Empty), new("a", "m.py", "Cart.total"),
            new("a", "m.py", "cart.total"), new("a", "missing.py", "other"), new("c", "m.py", "other"),
        ];

        var batched = await store.Chunks.GetSymbolsChunksAsync(requested, Ct);

        Assert.Equal(requested.Distinct().OrderBy(k => k.ToString(), StringComparer.Ordinal), batched.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal));
        Assert.Equal([first, second], batched[new("a", "m.py", "Cart.total")]);
        Assert.Equal([sameNameElsewhere], batched[new("b", "m.py", "Cart.total")]);
        Assert.Equal([top], batched[new("a", "m.py", string.Empty)]);
        Assert.Empty(batched[new("a", "m.py", "cart.total")]);
        Assert.Empty(batched[new("a", "missing.py", "other")]);
        Assert.Empty(batched[new("c", "m.py", "other")]);
        foreach (var key in requested)
        {
            Assert.Equal(await store.Chunks.GetSymbolChunksAsync(key.Repository, key.Path, key.QualifiedName, Ct), batched[key]);
        }

        Assert.Empty(await store.Chunks.GetSymbolsChunksAsync([], Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetMentionedFilesChunks_LongestSharedTailWins_ReadableOnlyAmbiguousNone()
    {
        await using var store = await CreateStoreAsync();
        var content = Chunk("r", "requests/models.py", "def content(self): return self._content", symbolPath: "Response.content", startLine: 40);
        var text = Chunk("r", "requests/models.py", "def text(self): return self.content", symbolPath: "Response.text", startLine: 10);
        var docs = Chunk("r", "docs/models.py", "class Example: pass", symbolPath: "Example", startLine: 1);
        var hidden = Chunk("secret", "requests/models.py", "def hidden(): pass", symbolPath: "hidden", startLine: 1);
        await store.Writer.ApplyFileAsync(Update("r", "requests/models.py", [content, text]), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "docs/models.py", [docs]), Ct);
        await store.Writer.ApplyFileAsync(Update("secret", "requests/models.py", [hidden]), Ct);
        foreach (var folder in new[] { "a", "b", "c", "d" })
        {
            await store.Writer.ApplyFileAsync(Update("r", $"{folder}/__init__.py", Chunks("r", $"{folder}/__init__.py", $"VERSION_{folder} = 1")), Ct);
        }

        var readable = await store.Chunks.GetMentionedFilesChunksAsync(
            ["/venv/site-packages/requests-2.3.0.egg/requests/models.py", "x/__init__.py", "missing.py", "..\\requests\\models.py"], ["r"], 3, Ct);
        var everyRepository = await store.Chunks.GetMentionedFilesChunksAsync(["models.py"], null, 3, Ct);

        // The longer tail beats docs/models.py, the other repository is not readable, four __init__.py files are ambiguous,
        // and a file named twice comes once, its chunks in line order.
        Assert.Equal([text, content], readable);
        Assert.Equal([docs, text, content, hidden], everyRepository);
        Assert.Empty(await store.Chunks.GetMentionedFilesChunksAsync(["models.py"], null, 2, Ct));
        Assert.Equal(4, (await store.Chunks.GetMentionedFilesChunksAsync(["__init__.py"], ["r"], 4, Ct)).Count);
        Assert.Empty(await store.Chunks.GetMentionedFilesChunksAsync(["requests/models.py"], [], 3, Ct));
        Assert.Empty(await store.Chunks.GetMentionedFilesChunksAsync([], null, 3, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchLexical_Fts5SyntaxInTerms_TreatedAsPlainText()
    {
        await using var store = await CreateStoreAsync();
        var near = Chunk("r", "a.py", "def near_match(): return near or far");
        var other = Chunk("r", "b.py", "def unrelated(): pass");
        await store.Writer.ApplyFileAsync(Update("r", "a.py", [near]), Ct);
        await store.Writer.ApplyFileAsync(Update("r", "b.py", [other]), Ct);
        string[][] hostile =
        [
            ["\""], ["*"], ["NEAR("], ["OR"], ["-"], ["a\"b"], ["near\" OR \"unrelated"], ["lexical_text:near"], ["^near"],
            ["near*"], ["-near"], ["NEAR(near far)"], ["(", ")"], ["AND", "NOT"], ["{near}"], ["near\0"],
        ];

        foreach (var terms in hostile)
        {
            var hits = await store.Chunks.SearchLexicalAsync(terms, 10, All, Ct);
            Assert.DoesNotContain(hits, h => h.ChunkId == other.Id);
        }

        Assert.Contains(await store.Chunks.SearchLexicalAsync(["NEAR("], 10, All, Ct), h => h.ChunkId == near.Id);
        Assert.Contains(await store.Chunks.SearchLexicalAsync(["OR"], 10, All, Ct), h => h.ChunkId == near.Id);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ApplyFile_ParallelWritersAndConcurrentReaders_AllFilesStoredReadsNeverFail()
    {
        await using var store = await CreateStoreAsync();
        var seed = Chunk("r", "seed.py", "def seed_function(): pass");
        await store.Writer.ApplyFileAsync(Update("r", "seed.py", [seed]), Ct);
        var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var path = $"parallel/file_{i}.py";
            var chunks = Enumerable.Range(0, 20).Select(j => Chunk("r", path, $"def parallel_{i}_{j}(): return {j}", startLine: j + 1)).ToList();
            await store.Writer.ApplyFileAsync(Update("r", path, chunks), Ct);
        }));
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var n = 0; n < 10; n++)
            {
                Assert.Contains(await store.Chunks.SearchLexicalAsync(["seed_function"], 5, All, Ct), h => h.ChunkId == seed.Id);
                Assert.NotEmpty(await store.Chunks.SearchDenseAsync(VectorOf(seed), 5, All, Ct));
            }
        }));

        await Task.WhenAll(writers.Concat(readers));

        var manifest = await store.Catalog.GetManifestAsync("r", Ct);
        Assert.Equal(17, manifest.Count);
        Assert.All(manifest.Values.Where(f => f.Path.StartsWith("parallel/", StringComparison.Ordinal)), f => Assert.Equal(20, f.ChunkCount));
        Assert.Single(await store.Chunks.SearchLexicalAsync(["parallel_15_19"], 5, All, Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetStats_MixedStatuses_CountsByStatusReasonAndLanguage()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(Update("r", "a.py", Chunks("r", "a.py", "def a(): pass")), Ct);
        await store.Writer.ApplyFileAsync(
            new FileUpdate(new FileRecord("r", "big.bin", null, "h", 5, "p1", FileStatus.Skipped, "binary", 0), [], new Dictionary<string, float[]>(), FileGraph.Empty), Ct);
        await store.Writer.ApplyFileAsync(
            new FileUpdate(new FileRecord("r", "bad.py", "python", "h", 5, "p1", FileStatus.Failed, "parse error", 0), [], new Dictionary<string, float[]>(), FileGraph.Empty), Ct);

        var stats = await store.Catalog.GetStatsAsync("r", Ct);

        Assert.Equal(1, stats.Files[FileStatus.Indexed]);
        Assert.Equal(1, stats.Files[FileStatus.Skipped]);
        Assert.Equal(1, stats.SkippedByReason["binary"]);
        Assert.Equal(new KeyValuePair<string, string>("bad.py", "parse error"), Assert.Single(stats.FailedFiles));
        Assert.Equal(1, stats.Chunks);
        Assert.Equal(1, stats.Languages["python"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task VectorsFollow_ChunksSearchableLexicallyAtOnce_DenseOnlyOnceTheirVectorsAreSet()
    {
        await using var store = await CreateStoreAsync();
        var chunks = Chunks("r", "src/jwt.py", "def validate_token(token): return jwt.decode(token)", "def refresh_session(user): pass");
        var update = Update("r", "src/jwt.py", chunks, vectorsFor: []) with { VectorsFollow = true };
        if (!store.Writer.SupportsPendingVectors)
        {
            // A backend whose rows need their vector refuses instead of storing a chunk dense search would mis-rank.
            await Assert.ThrowsAsync<NotSupportedException>(() => store.Writer.ApplyFileAsync(update, Ct));
            Assert.Equal(0, await store.Writer.CountChunksAwaitingVectorsAsync("r", Ct));
            return;
        }

        await store.Writer.ApplyFileAsync(update, Ct);

        Assert.Equal(chunks[0].Id, Assert.Single(await store.Chunks.SearchLexicalAsync(["validate_token"], 10, All, Ct)).ChunkId);
        Assert.Empty(await store.Chunks.SearchDenseAsync(VectorOf(chunks[1]), 5, All, Ct));
        Assert.Empty(await store.Writer.GetEmbeddingKeysAsync("r", "src/jwt.py", Ct));
        Assert.Equal(2, await store.Writer.CountChunksAwaitingVectorsAsync("r", Ct));
        Assert.Equal(2, (await store.Catalog.GetStatsAsync("r", Ct)).ChunksAwaitingVectors);
        Assert.Equal(chunks.OrderBy(c => c.Id, StringComparer.Ordinal), (await store.Writer.GetChunksAwaitingVectorsAsync("r", 10, Ct)).OrderBy(c => c.Id, StringComparer.Ordinal));
        Assert.Single(await store.Writer.GetChunksAwaitingVectorsAsync("r", 1, Ct));

        // A vector made for another text, or offered under another repository, is not stored.
        var stored = await store.Writer.SetVectorsAsync("r", [new ChunkVector(chunks[0].Id, ChunkIds.Hash("another text"), VectorOf(chunks[0])), new ChunkVector(chunks[1].Id, chunks[1].EmbeddingKey, VectorOf(chunks[1]))], Ct);
        Assert.Equal(1, stored);
        Assert.Equal(0, await store.Writer.SetVectorsAsync("other", [new ChunkVector(chunks[0].Id, chunks[0].EmbeddingKey, VectorOf(chunks[0]))], Ct));
        Assert.Equal(chunks[1].Id, Assert.Single(await store.Chunks.SearchDenseAsync(VectorOf(chunks[1]), 5, All, Ct)).ChunkId);
        Assert.Equal(chunks[0].Id, Assert.Single(await store.Writer.GetChunksAwaitingVectorsAsync("r", 10, Ct)).Id);

        Assert.Equal(1, await store.Writer.SetVectorsAsync("r", [new ChunkVector(chunks[0].Id, chunks[0].EmbeddingKey, VectorOf(chunks[0]))], Ct));
        Assert.Equal(0, await store.Writer.CountChunksAwaitingVectorsAsync("r", Ct));
        Assert.Empty(await store.Writer.GetChunksAwaitingVectorsAsync("r", 10, Ct));
        Assert.Equal(
            chunks.ToDictionary(c => c.Id, c => c.EmbeddingKey),
            await store.Writer.GetEmbeddingKeysAsync("r", "src/jwt.py", Ct));
        Assert.Equal(1.0, Assert.Single(await store.Chunks.SearchDenseAsync(VectorOf(chunks[0]), 1, All, Ct)).Score, 3);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task VectorsFollow_ChangedEmbeddingKeyWithoutVector_OldVectorNoLongerAnswers_RemovedFileAwaitsNothing()
    {
        await using var store = await CreateStoreAsync();
        if (!store.Writer.SupportsPendingVectors)
        {
            Assert.Empty(await store.Writer.GetChunksAwaitingVectorsAsync("r", 10, Ct));
            return;
        }

        var original = Chunk("r", "a.py", "def f(): return 1", symbolPath: "f");
        var kept = Chunk("r", "a.py", "def g(): return 2", symbolPath: "g", startLine: 5);
        await store.Writer.ApplyFileAsync(Update("r", "a.py", [original, kept]), Ct);
        var rekeyed = original with { EmbeddingKey = ChunkIds.Hash("new header" + original.Text) };

        await store.Writer.ApplyFileAsync(Update("r", "a.py", [rekeyed, kept], vectorsFor: []) with { VectorsFollow = true }, Ct);

        Assert.Equal(rekeyed, Assert.Single(await store.Writer.GetChunksAwaitingVectorsAsync("r", 10, Ct)));
        Assert.DoesNotContain(await store.Chunks.SearchDenseAsync(VectorOf(original), 5, All, Ct), h => h.ChunkId == original.Id);
        Assert.Equal(kept.Id, (await store.Chunks.SearchDenseAsync(VectorOf(kept), 1, All, Ct))[0].ChunkId);
        Assert.Equal(0, await store.Writer.SetVectorsAsync("r", [new ChunkVector(original.Id, original.EmbeddingKey, VectorOf(original))], Ct));

        await store.Writer.RemoveFilesAsync("r", ["a.py"], Ct);

        Assert.Equal(0, await store.Writer.CountChunksAwaitingVectorsAsync("r", Ct));
        Assert.Equal(0, await store.Writer.SetVectorsAsync("r", [new ChunkVector(rekeyed.Id, rekeyed.EmbeddingKey, VectorOf(rekeyed))], Ct));
        Assert.Empty(await store.Chunks.SearchDenseAsync(VectorOf(rekeyed), 5, All, Ct));
    }

    private static List<FileUpdate> Version1() =>
    [
        Update("r", "a.py", Chunks("r", "a.py", "alpha beta", "beta gamma", "removed later")),
        Update("r", "b.py", Chunks("r", "b.py", "delta alpha")),
        Update("r", "c.py", Chunks("r", "c.py", "epsilon removed")),
    ];

    private static (List<FileUpdate> Updates, List<FileUpdate> CleanUpdates, string[] Removed) Version2(IReadOnlyDictionary<string, string> storedKeys)
    {
        var a = Chunks("r", "a.py", "new first line", "alpha beta", "beta gamma");
        a = [a[0], a[1] with { StartLine = 11, EndLine = 11 }, a[2] with { StartLine = 21, EndLine = 21 }];
        var incrementalA = Update("r", "a.py", a, vectorsFor: a.Where(c => !storedKeys.TryGetValue(c.Id, out var key) || key != c.EmbeddingKey));
        var d = Update("r", "d.py", Chunks("r", "d.py", "gamma delta", "gamma delta"));
        var b = Update("r", "b.py", Chunks("r", "b.py", "delta alpha"));
        return ([incrementalA, d], [Update("r", "a.py", a), b, d], ["c.py"]);
    }
}
