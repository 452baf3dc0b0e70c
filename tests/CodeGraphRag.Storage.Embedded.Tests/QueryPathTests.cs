using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Embedded.Internals;
using CodeGraphRag.TestInfrastructure;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.Storage.Embedded.Tests;

/// <summary>
/// The bounded parts of the embedded query path: the nearest-first, capped caller scan, the shared file index of the
/// Imports relation, and the lexical top-k that ranks before it joins.
/// </summary>
public sealed class QueryPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SymbolKey Popular = new("r", "pkg/sub/lib.py", "lib.popular");

    private static FileGraph Caller(string function, string callee = "popular") =>
        new([Symbol(function, SymbolKind.Function)], [new CallReference(function, callee, null, 3)], [], []);

    /// <summary>One definition of <c>popular</c> (so every call site resolves to it) called from near and far.</summary>
    private static async Task SeedPopularAsync(EmbeddedStore store, int farCallers)
    {
        await store.ApplyFileAsync(GraphFile("r", "pkg/sub/lib.py", new FileGraph(
            [Symbol("lib.popular", SymbolKind.Function), Symbol("lib.local_user", SymbolKind.Function, 10, 12)],
            [new CallReference("lib.local_user", "popular", null, 11)], [], [])), Ct);
        await store.ApplyFileAsync(GraphFile("r", "pkg/sub/near.py", Caller("near.f")), Ct);
        await store.ApplyFileAsync(GraphFile("r", "pkg/mid.py", Caller("mid.f")), Ct);
        await store.ApplyFileAsync(GraphFile("r", "top.py", Caller("top.f")), Ct);
        await store.ApplyFileAsync(GraphFile("x", "a.py", Caller("a.f")), Ct);
        await store.ApplyFileAsync(GraphFile("hidden", "b.py", Caller("b.f")), Ct);
        for (var i = 0; i < farCallers; i++)
        {
            await store.ApplyFileAsync(GraphFile("r", $"zzz/far_{i:D3}.py", Caller($"far_{i:D3}.f")), Ct);
        }
    }

    private static async Task<List<SymbolKey>> CallersAsync(EmbeddedStore store, int max, params string[] readable) =>
        [.. (await store.GetNeighborsAsync([Popular], new NeighborQuery(GraphRelation.Caller, max, 8, readable), Ct)).Select(n => n.Neighbor)];

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callers_ManyCallSites_NearestFirstAtMostCapNeverUnreadable()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await SeedPopularAsync(store, farCallers: 3);

        var four = await CallersAsync(store, 4, "r", "x");
        var all = await CallersAsync(store, 100, "r", "x");

        // Same file, same folder, the folder above, the rest of the repository (by path), then other readable repositories.
        Assert.Equal(
            [Popular with { QualifiedName = "lib.local_user" }, new("r", "pkg/sub/near.py", "near.f"), new("r", "pkg/mid.py", "mid.f"), new("r", "top.py", "top.f")],
            four);
        Assert.Equal(four, all.Take(4));
        Assert.Equal(["zzz/far_000.py", "zzz/far_001.py", "zzz/far_002.py", "a.py"], all.Skip(4).Select(k => k.Path));
        Assert.DoesNotContain(all, k => k.Repository == "hidden");
        Assert.DoesNotContain(await CallersAsync(store, 100, "r"), k => k.Repository != "r");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callers_MoreCallSitesThanScanned_ScansOnlyTheNearestOnes()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await SeedPopularAsync(store, farCallers: EmbeddedStore.MaxCallSitesScanned);

        var callers = await CallersAsync(store, 1000, "r", "x");

        // Every site resolves to the one definition, so each scanned site is a caller: exactly the cap, nearest first;
        // the other repository's caller ranks after every site of the symbol's own repository and is not reached.
        Assert.Equal(EmbeddedStore.MaxCallSitesScanned, callers.Count);
        Assert.Equal(["pkg/sub/lib.py", "pkg/sub/near.py", "pkg/mid.py", "top.py", "zzz/far_000.py"], callers.Take(5).Select(k => k.Path));
        Assert.All(callers, k => Assert.Equal("r", k.Repository));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Imports_SharedFileIndex_SameFilesAsScanningEveryPathAndRebuiltAfterWrites()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await store.ApplyFileAsync(GraphFile("r", "app/main.py", new FileGraph(
            [Symbol("main.run", SymbolKind.Function)], [],
            [new ImportInfo("pkg.util", [], null, 1), new ImportInfo(".helpers", [], null, 2), new ImportInfo("Other.Space", [], null, 3)], [])), Ct);
        string[] paths = ["app/helpers.py", "pkg/util.py", "src/pkg/util/__init__.py", "lib/PKG/UTIL.py", "pkg/utility.py", "deep/x/pkg/util/core.py"];
        foreach (var path in paths)
        {
            await store.ApplyFileAsync(GraphFile("r", path, new FileGraph([Symbol(Path.GetFileNameWithoutExtension(path) + ".f", SymbolKind.Function)], [], [], [])), Ct);
        }

        await store.ApplyFileAsync(GraphFile("o", "Other/Space/Thing.cs", new FileGraph([Symbol("Other.Space.Thing", SymbolKind.Class)], [], [], [])), Ct);
        var main = new SymbolKey("r", "app/main.py", "main.run");
        var query = new NeighborQuery(GraphRelation.Imports, 20, 8, null);

        var before = (await store.GetNeighborsAsync([main], query, Ct)).Select(n => n.Neighbor.Path).ToList();
        await store.ApplyFileAsync(GraphFile("r", "more/pkg/util.py", FileGraph.Empty), Ct);
        await store.RemoveFilesAsync("r", ["app/helpers.py"], Ct);
        var after = (await store.GetNeighborsAsync([main], query, Ct)).Select(n => n.Neighbor.Path).ToList();

        // Per import in order: the node's repository first, by path; then the next import.
        Assert.Equal(["deep/x/pkg/util/core.py", "pkg/util.py", "src/pkg/util/__init__.py", "app/helpers.py", "Other/Space/Thing.cs"], before);
        Assert.Equal(["deep/x/pkg/util/core.py", "more/pkg/util.py", "pkg/util.py", "src/pkg/util/__init__.py", "Other/Space/Thing.cs"], after);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Imports_Namespace_OwnRepositoryByItsIndexFirstAndOthersOnlyWhenReadable()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        await store.ApplyFileAsync(GraphFile("r", "App/Main.cs", new FileGraph(
            [Symbol("App.Main", SymbolKind.Class)], [], [new ImportInfo("Big.Space", [], null, 1)], [])), Ct);
        await store.ApplyFileAsync(GraphFile("r", "Own/Thing.cs", new FileGraph([Symbol("Big.Space.Own", SymbolKind.Class)], [], [], [])), Ct);
        foreach (var other in new[] { "o1", "o2", "hidden" })
        {
            for (var i = 0; i < 3; i++)
            {
                await store.ApplyFileAsync(GraphFile(other, $"Space/T{i}.cs", new FileGraph([Symbol($"Big.Space.T{i}", SymbolKind.Class)], [], [], [])), Ct);
            }
        }

        var main = new SymbolKey("r", "App/Main.cs", "App.Main");
        async Task<List<string>> ImportedAsync(params string[]? readable) =>
            [.. (await store.GetNeighborsAsync([main], new NeighborQuery(GraphRelation.Imports, 20, 8, readable), Ct)).Select(n => n.Neighbor.Repository + ":" + n.Neighbor.Path)];

        // The importing repository's files first, then the readable others by repository and path; nothing unreadable.
        Assert.Equal(["r:Own/Thing.cs", "o1:Space/T0.cs", "o1:Space/T1.cs", "o1:Space/T2.cs", "o2:Space/T0.cs", "o2:Space/T1.cs", "o2:Space/T2.cs"], await ImportedAsync("r", "o1", "o2"));
        Assert.Equal(["r:Own/Thing.cs"], await ImportedAsync("r"));
        Assert.Equal(10, (await ImportedAsync(null)).Count);

        // The own repository's lookup seeks (repository, qualified_name) instead of reading every repository's symbols
        // under the namespace; the others' lookup keeps the qualified-name index.
        using var connection = store.OpenConnection();
        string Plan(bool sameRepository)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + EmbeddedStore.NamespaceFilesSql(sameRepository, "1 = 1", 10);
            command.Parameters.AddWithValue("$lo", "Big.Space.");
            command.Parameters.AddWithValue("$hi", "Big.Space/");
            command.Parameters.AddWithValue("$r", "r");
            using var reader = command.ExecuteReader();
            var details = new List<string>();
            while (reader.Read())
            {
                details.Add(reader.GetString(3));
            }

            return string.Join(" | ", details);
        }

        Assert.Contains("ix_symbols_repository_qualified_name (repository=? AND qualified_name>? AND qualified_name<?)", Plan(sameRepository: true), StringComparison.Ordinal);
        Assert.Contains("ix_symbols_qualified_name (qualified_name>? AND qualified_name<?)", Plan(sameRepository: false), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task NamespaceFiles_PerReadableRepository_SameFilesAsTheQualifiedNameScanForEveryLimit()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var random = new Random(23);
        string[] names = ["Big.Space.A", "Big.Space.B", "Big.Space.Inner.C", "Big.Spaces.D", "Big.Space", "Other.E", "Big.Space.A.Nested"];
        var repositories = Enumerable.Range(0, 12).Select(i => $"repo{i:D2}").ToList();
        foreach (var repository in repositories)
        {
            for (var file = 0; file < 4; file++)
            {
                // Files share qualified names across repositories (ties broken by repository, then path).
                var symbols = names.Where(_ => random.Next(3) == 0).Select(n => Symbol(n, SymbolKind.Class)).ToList();
                await store.ApplyFileAsync(GraphFile(repository, $"src/F{random.Next(100):D2}_{file}.cs", new FileGraph(symbols, [], [], [])), Ct);
            }
        }

        using var connection = store.OpenConnection();
        List<string> Run(string sql, string? readable)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$lo", "Big.Space.");
            command.Parameters.AddWithValue("$hi", "Big.Space/");
            command.Parameters.AddWithValue("$r", "repo00");
            if (readable is not null)
            {
                command.Parameters.AddWithValue("$readable", readable);
            }

            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0) + ":" + reader.GetString(1));
            }

            return rows;
        }

        var checkedLists = 0;
        for (var trial = 0; trial < 30; trial++)
        {
            var list = repositories.Where(_ => random.Next(3) == 0).Append("repo00").Distinct().ToList();
            var json = System.Text.Json.JsonSerializer.Serialize(list);
            foreach (var limit in new[] { 1, 2, 3, 5, 8, 1000 })
            {
                var scanned = Run(EmbeddedStore.NamespaceFilesSql(false, "+repository IN (SELECT value FROM json_each($readable))", limit), json);
                var perRepository = EmbeddedStore.NamespaceFilesOfRepositories(connection, null, list.Where(r => r != "repo00"), "Big.Space.", limit)
                    .Select(f => f.Repository + ":" + f.Path).ToList();
                Assert.Equal(scanned.Order(StringComparer.Ordinal), perRepository.Order(StringComparer.Ordinal));
                Assert.DoesNotContain(perRepository, f => f.StartsWith("repo00:", StringComparison.Ordinal) || !list.Contains(f[..f.IndexOf(':')]));
                checkedLists += scanned.Count > limit - 1 ? 1 : 0;
            }
        }

        // The limits cut the answers short often enough for the ranking to matter.
        Assert.True(checkedLists > 50, checkedLists.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void FileIndex_Candidates_IncludeEveryFileTheImportMatches()
    {
        string[] segments = ["a", "b", "pkg", "util", "Util", "index", "__init__", "src"];
        var random = new Random(11);
        var files = new List<(string Repository, string Path)>();
        for (var i = 0; i < 400; i++)
        {
            var depth = random.Next(1, 5);
            var path = string.Join('/', Enumerable.Range(0, depth).Select(_ => segments[random.Next(segments.Length)])) + (random.Next(3) == 0 ? string.Empty : ".py");
            files.Add((random.Next(2) == 0 ? "r" : "s", path));
        }

        files = [.. files.Distinct().OrderBy(f => f.Repository, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal)];
        var index = FileIndex.Create(0, files);
        string[] modules = ["pkg.util", "util", "a/b", "./util", "..pkg", ".", "b.index", "src/pkg/util.py", "Util", "x.y"];
        foreach (var from in new[] { "main.py", "a/main.py", "a/b/main.py", "pkg/util/main.py" })
        {
            foreach (var module in modules)
            {
                var target = ModulePaths.Prepare(module, from);
                var expected = Enumerable.Range(0, files.Count).Where(i => Matches(target, files[i])).ToList();
                var actual = index.Candidates(target).Where(i => Matches(target, files[i])).ToList();
                Assert.Equal(expected, actual);
            }
        }

        static bool Matches(ImportTarget target, (string Repository, string Path) file) =>
            ModulePaths.Matches(target, file.Repository, file.Repository, ModulePaths.StripExtension(file.Path), ModulePaths.Folder(file.Path), null);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(40)]
    public async Task SearchLexical_RankFirstThenJoin_EqualsFullQueryWithTiesAndFilters(int k)
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        for (var file = 0; file < 30; file++)
        {
            var repository = file % 3 == 0 ? "small" : "big";
            // Many identical chunks (equal BM25: ties across the fetch boundary) and graded ones.
            var texts = Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? "read the config file" : $"read {string.Join(' ', Enumerable.Repeat("config", i + file % 4))} value {file}").ToArray();
            await store.ApplyFileAsync(Update(repository, $"m{file:D2}.py", Chunks(repository, $"m{file:D2}.py", texts)), Ct);
        }

        using var connection = store.OpenConnection();
        foreach (var terms in new[] { new[] { "config" }, ["read", "value"], ["file", "config", "missing"] })
        {
            foreach (var filter in new[] { ChunkFilter.None, new ChunkFilter(["big", "small"], null, null), new ChunkFilter(["small"], null, null), new ChunkFilter(["big"], ["python"], null) })
            {
                var match = EmbeddedStore.BuildMatchExpression(terms)!;
                var expected = EmbeddedStore.LexicalFullQuery(connection, match, k, FilterSql.From(filter));
                var actual = await store.SearchLexicalAsync(terms, k, filter, Ct);
                Assert.Equal(expected.Select(h => h.ChunkId), actual.Select(h => h.ChunkId));
                Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score));
            }
        }

        // The short path answers alone when it can prove the result (no ties at the boundary), and declines otherwise.
        Assert.NotNull(EmbeddedStore.TryLexicalTopFirst(connection, EmbeddedStore.BuildMatchExpression(["value"])!, 3, null));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchLexical_ManyRepositoryLists_EqualUnfilteredResultsRestrictedToThoseRepositories()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        var repositories = Enumerable.Range(0, 60).Select(i => $"repo{i:D2}").ToList();
        var chunkRepository = new Dictionary<string, string>(StringComparer.Ordinal);
        var chunkLanguage = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task WriteAsync(string repository, int file, int version)
        {
            var path = $"m{file}.py";
            // Identical chunks in every repository (BM25 ties across repositories) and graded ones.
            var texts = Enumerable.Range(0, 4).Select(i => i % 2 == 0 ? "read the config file" : $"read {string.Join(' ', Enumerable.Repeat("config", i + (file + version) % 3))} value {repository}").ToArray();
            var language = file == 0 ? "python" : "javascript";
            var chunks = Chunks(repository, path, texts).Select(c => c with { Language = language }).ToList();
            await store.ApplyFileAsync(Update(repository, path, chunks, language: language), Ct);
            foreach (var chunk in chunks)
            {
                chunkRepository[chunk.Id] = repository;
                chunkLanguage[chunk.Id] = language;
            }
        }

        foreach (var repository in repositories)
        {
            for (var file = 0; file < 2; file++)
            {
                await WriteAsync(repository, file, 0);
            }
        }

        // Rewritten files get new keys: a repository's keys are no longer one range.
        foreach (var repository in repositories.Where((_, i) => i % 7 == 0))
        {
            await WriteAsync(repository, 1, 1);
        }

        var random = new Random(5);
        List<string[]> lists = [[], ["repo03"], ["repo00", "repo07"], ["absent", "repo11"], [.. repositories]];
        for (var i = 0; i < 6; i++)
        {
            lists.Add([.. repositories.Where(_ => random.Next(10) < 1 + i)]);
        }

        using var connection = store.OpenConnection();
        foreach (var terms in new[] { new[] { "config" }, ["read", "value"], ["file", "config", "missing"], ["repo07"] })
        {
            var match = EmbeddedStore.BuildMatchExpression(terms)!;
            var unfiltered = EmbeddedStore.LexicalFullQuery(connection, match, 10_000, null);
            foreach (var list in lists)
            {
                foreach (var languages in new[] { null, new[] { "javascript" } })
                {
                    var filter = new ChunkFilter(list, languages, null);
                    foreach (var k in new[] { 1, 5, 40 })
                    {
                        var expected = unfiltered
                            .Where(h => list.Contains(chunkRepository[h.ChunkId]) && (languages is null || languages.Contains(chunkLanguage[h.ChunkId])))
                            .Take(k);
                        var keySet = EmbeddedStore.LexicalFullQuery(connection, match, k, FilterSql.From(filter), list);
                        var searched = await store.SearchLexicalAsync(terms, k, filter, Ct);
                        var plain = EmbeddedStore.LexicalFullQuery(connection, match, k, FilterSql.From(filter));
                        Assert.Equal(expected, keySet);
                        Assert.Equal(expected, searched);
                        Assert.Equal(expected, plain);
                    }
                }
            }
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task SearchLexical_LongQuery_DropsTermsInMoreThanTheShareOfChunksAlsoReadOnly()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        var rare = Chunk("r", "a.py", "def handler(): return common rare_word");
        await using (var writer = new EmbeddedStore(options))
        {
            // 40 chunks: "common" in all of them, "shared" in 4 (10 % > 5 %), "rare_word" in one.
            await writer.ApplyFileAsync(Update("r", "a.py", [rare]), Ct);
            for (var file = 0; file < 39; file++)
            {
                var text = file < 4 ? $"def f{file}(): return common shared" : $"def f{file}(): return common";
                await writer.ApplyFileAsync(Update("r", $"m{file:D2}.py", [Chunk("r", $"m{file:D2}.py", text)]), Ct);
            }

            string[] longQuery = ["rare_word", "common", "shared", "absent1", "absent2", "absent3", "absent4", "absent5"];
            string[] shortQuery = ["rare_word", "common", "shared"];

            Assert.Equal([rare.Id], (await writer.SearchLexicalAsync(longQuery, 10, ChunkFilter.None, Ct)).Select(h => h.ChunkId));
            Assert.Equal(10, (await writer.SearchLexicalAsync(shortQuery, 10, ChunkFilter.None, Ct)).Count);
            Assert.Equal(rare.Id, (await writer.SearchLexicalAsync(shortQuery, 10, ChunkFilter.None, Ct))[0].ChunkId);
        }

        await using (var reader = new EmbeddedStore(EmbeddedStoreFactory.Options(directory.Path, readOnly: true)))
        {
            Assert.Equal([rare.Id], (await reader.SearchLexicalAsync(["rare_word", "common", "shared", "absent1", "absent2", "absent3", "absent4", "absent5"], 10, ChunkFilter.None, Ct)).Select(h => h.ChunkId));
        }

        var unpruned = EmbeddedStoreFactory.Options(directory.Path, readOnly: true);
        unpruned.LexicalPruneMinTerms = 0;
        await using var store = new EmbeddedStore(unpruned);
        var all = await store.SearchLexicalAsync(["rare_word", "common", "shared", "absent1", "absent2", "absent3", "absent4", "absent5"], 10, ChunkFilter.None, Ct);
        Assert.Equal(10, all.Count);
        Assert.Equal(rare.Id, all[0].ChunkId);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task WithoutCommonTerms_EveryTermCommon_KeepsTheThreeRarest()
    {
        await using var owner = EmbeddedStoreFactory.Create();
        var store = owner.Store();
        // Term t{i} is in the chunks numbered i and above: t9 is the rarest (1 of 10), t0 is in all 10.
        for (var file = 0; file < 10; file++)
        {
            var text = string.Join(' ', Enumerable.Range(0, file + 1).Select(i => $"t{i}"));
            await store.ApplyFileAsync(Update("r", $"m{file}.py", [Chunk("r", $"m{file}.py", text)]), Ct);
        }

        using var connection = store.OpenConnection();
        string[] terms = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];

        Assert.Equal(["t9", "t8", "t7"], store.WithoutCommonTerms(connection, terms));
        Assert.Equal(["t0", "t9"], store.WithoutCommonTerms(connection, ["t0", "t9"]));

        // Frequencies are looked up case-folded like FTS5 folds them; terms without a letter or digit never reach the
        // MATCH expression, so they neither make a query long nor stand in for the rarest terms.
        Assert.Equal(["T9", "T8", "t7"], store.WithoutCommonTerms(connection, ["T0", "T1", "t2", "t3", "t4", "t5", "t6", "t7", "T8", "T9"]));
        string[] punctuation = ["t0", "t1", "t2", "t3", "t4", "\"\"", "--", "__", "**"];
        Assert.Same(punctuation, store.WithoutCommonTerms(connection, punctuation));
        Assert.NotEmpty(await store.SearchLexicalAsync(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "!!", "??", "..", "::"], 5, ChunkFilter.None, Ct));
    }
}
