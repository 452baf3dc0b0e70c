using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using Xunit;
using static CodeGraphRag.TestInfrastructure.Conformance.ConformanceData;

namespace CodeGraphRag.TestInfrastructure.Conformance;

/// <summary>
/// The contract of <see cref="ICodeGraphStore"/>: late-bound resolution with locality preference, ambiguity limits,
/// every relation, depth, ACLs and incremental updates. Backends subclass and supply <see cref="CreateStoreAsync"/>.
/// </summary>
public abstract class CodeGraphStoreConformanceTests
{
    /// <summary>A fresh, empty backend configured for <see cref="ConformanceData.Dimensions"/>-dimensional vectors.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NeighborQuery Query(GraphRelation relations, IReadOnlyList<string>? repositories = null, int maxCandidates = 5, int depth = 1, int maxPerRelation = 20) =>
        new(relations, maxPerRelation, maxCandidates, repositories, depth);

    private static FileGraph Graph(
        IEnumerable<SymbolInfo>? symbols = null, IEnumerable<CallReference>? calls = null, IEnumerable<ImportInfo>? imports = null, IEnumerable<InheritanceInfo>? inheritance = null) =>
        new([.. symbols ?? []], [.. calls ?? []], [.. imports ?? []], [.. inheritance ?? []]);

    private static CallReference Call(string caller, string name, string? qualifier = null, int line = 3) => new(caller, name, qualifier, line);

    private static async Task<List<SymbolKey>> NeighboursAsync(StoreUnderTest store, SymbolKey from, NeighborQuery query) =>
        [.. (await store.Graph.GetNeighborsAsync([from], query, Ct)).Select(n => n.Neighbor)];

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task FindDefinitions_ByExactName_InReadableRepositoriesAtMostTheLimit()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "cache.py", Graph(
            [Symbol("cache.Cache", SymbolKind.Class, 1, 20), Symbol("cache.Cache.evict", SymbolKind.Method, 5, 9, "cache.Cache")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "lru.py", Graph([Symbol("lru.evict", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("other", "evict.py", Graph([Symbol("evict.evict", SymbolKind.Function)])), Ct);

        var all = await store.Graph.FindDefinitionsAsync(["evict", "Evict", "missing"], null, 10, Ct);
        var readable = await store.Graph.FindDefinitionsAsync(["evict"], ["r"], 10, Ct);
        var limited = await store.Graph.FindDefinitionsAsync(["evict"], null, 2, Ct);
        var none = await store.Graph.FindDefinitionsAsync(["evict"], [], 10, Ct);

        Assert.Equal(
            [new SymbolKey("other", "evict.py", "evict.evict"), new SymbolKey("r", "cache.py", "cache.Cache.evict"), new SymbolKey("r", "lru.py", "lru.evict")],
            all.Select(d => d.Symbol));
        Assert.All(all, d => Assert.Equal("evict", d.Name));
        Assert.Equal(SymbolKind.Method, all[1].Kind);
        Assert.Equal([new SymbolKey("r", "cache.py", "cache.Cache.evict"), new SymbolKey("r", "lru.py", "lru.evict")], readable.Select(d => d.Symbol));
        Assert.Equal(2, limited.Count);
        Assert.Empty(none);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_SameFileDefinition_PreferredOverEveryOtherFile()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph(
            [Symbol("app.main", SymbolKind.Function), Symbol("app.helper", SymbolKind.Function, 10, 12)],
            [Call("app.main", "helper")],
            [new ImportInfo("lib", [], null, 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "lib.py", Graph([Symbol("lib.helper", SymbolKind.Function)])), Ct);

        var callees = await NeighboursAsync(store, new SymbolKey("r", "app.py", "app.main"), Query(GraphRelation.Callee));

        Assert.Equal([new SymbolKey("r", "app.py", "app.helper")], callees);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_ImportedModule_PreferredOverSameRepositoryAndOtherRepositories()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "src/app.py", Graph(
            [Symbol("app.main", SymbolKind.Function)],
            [Call("app.main", "helper")],
            [new ImportInfo("pkg.util", ["helper"], null, 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "src/pkg/util.py", Graph([Symbol("pkg.util.helper", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "src/other.py", Graph([Symbol("other.helper", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("x", "pkg/util.py", Graph([Symbol("pkg.util.helper", SymbolKind.Function)])), Ct);

        var callees = await NeighboursAsync(store, new SymbolKey("r", "src/app.py", "app.main"), Query(GraphRelation.Callee));

        Assert.Equal([new SymbolKey("r", "src/pkg/util.py", "pkg.util.helper")], callees);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_RelativeJsImportAndNamespaceUsing_ResolveToImportedFiles()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "web/src/app.ts", Graph(
            [Symbol("app.start", SymbolKind.Function)],
            [Call("app.start", "verify")],
            [new ImportInfo("./auth/jwt", ["verify"], null, 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "web/src/auth/jwt.ts", Graph([Symbol("jwt.verify", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "web/src/crypto/verify.ts", Graph([Symbol("crypto.verify", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "Api/Handler.cs", Graph(
            [Symbol("Acme.Api.Handler.Run", SymbolKind.Method, parent: "Acme.Api.Handler")],
            [Call("Acme.Api.Handler.Run", "Validate", "validator")],
            [new ImportInfo("Acme.Auth", [], null, 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "Auth/TokenValidator.cs", Graph([Symbol("Acme.Auth.TokenValidator.Validate", SymbolKind.Method, parent: "Acme.Auth.TokenValidator")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "Billing/Invoice.cs", Graph([Symbol("Acme.Billing.Invoice.Validate", SymbolKind.Method, parent: "Acme.Billing.Invoice")])), Ct);

        Assert.Equal(
            [new SymbolKey("r", "web/src/auth/jwt.ts", "jwt.verify")],
            await NeighboursAsync(store, new SymbolKey("r", "web/src/app.ts", "app.start"), Query(GraphRelation.Callee)));
        Assert.Equal(
            [new SymbolKey("r", "Auth/TokenValidator.cs", "Acme.Auth.TokenValidator.Validate")],
            await NeighboursAsync(store, new SymbolKey("r", "Api/Handler.cs", "Acme.Api.Handler.Run"), Query(GraphRelation.Callee)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_SameRepository_PreferredOverOtherRepositoryWhichIsUsedOnlyAsLastResort()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "helper"), Call("app.main", "remote_only")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "util.py", Graph([Symbol("util.helper", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("x", "util.py", Graph([Symbol("util.helper", SymbolKind.Function), Symbol("util.remote_only", SymbolKind.Function)])), Ct);

        var callees = await NeighboursAsync(store, new SymbolKey("r", "app.py", "app.main"), Query(GraphRelation.Callee));

        Assert.Equal([new SymbolKey("r", "util.py", "util.helper"), new SymbolKey("x", "util.py", "util.remote_only")], callees);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_MoreCandidatesThanMaxCandidatesPerName_LeftUnresolved()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "run")])), Ct);
        foreach (var name in (string[])["a", "b", "c"])
        {
            await store.Writer.ApplyFileAsync(GraphFile("r", $"{name}.py", Graph([Symbol($"{name}.run", SymbolKind.Function)])), Ct);
        }

        var main = new SymbolKey("r", "app.py", "app.main");

        Assert.Empty(await NeighboursAsync(store, main, Query(GraphRelation.Callee, maxCandidates: 2)));
        Assert.Equal(3, (await NeighboursAsync(store, main, Query(GraphRelation.Callee, maxCandidates: 3))).Count);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callees_QualifierNamingTypeOrImportAlias_NarrowsAmbiguousCandidates()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph(
            [Symbol("app.main", SymbolKind.Function)],
            [Call("app.main", "validate", "jwtValidator"), Call("app.main", "array", "np")],
            [new ImportInfo("numpy", [], "np", 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "jwt.py", Graph([Symbol("jwt.JwtValidator.validate", SymbolKind.Method, parent: "jwt.JwtValidator")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "user.py", Graph([Symbol("user.UserValidator.validate", SymbolKind.Method, parent: "user.UserValidator")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "numpy/core.py", Graph([Symbol("numpy.core.array", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "mylib/array.py", Graph([Symbol("mylib.array.array", SymbolKind.Function)])), Ct);

        var callees = await NeighboursAsync(store, new SymbolKey("r", "app.py", "app.main"), Query(GraphRelation.Callee, maxCandidates: 1));

        Assert.Equal([new SymbolKey("r", "jwt.py", "jwt.JwtValidator.validate"), new SymbolKey("r", "numpy/core.py", "numpy.core.array")], callees);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task ConstructorCall_ResolvesToConstructor_AndTypeListsItsCallers()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "auth.py", Graph(
        [
            Symbol("auth.JwtValidator", SymbolKind.Class, 1, 20),
            Symbol("auth.JwtValidator.__init__", SymbolKind.Constructor, 2, 4, "auth.JwtValidator"),
        ])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "JwtValidator")])), Ct);

        var callees = await NeighboursAsync(store, new SymbolKey("r", "app.py", "app.main"), Query(GraphRelation.Callee));
        var callersOfType = await NeighboursAsync(store, new SymbolKey("r", "auth.py", "auth.JwtValidator"), Query(GraphRelation.Caller));
        var callersOfConstructor = await NeighboursAsync(store, new SymbolKey("r", "auth.py", "auth.JwtValidator.__init__"), Query(GraphRelation.Caller));

        Assert.Equal([new SymbolKey("r", "auth.py", "auth.JwtValidator.__init__")], callees);
        Assert.Equal([new SymbolKey("r", "app.py", "app.main")], callersOfType);
        Assert.Equal([new SymbolKey("r", "app.py", "app.main")], callersOfConstructor);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Callers_OnlyCallsThatResolveToTheSymbol_IncludingTopLevelCode()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "lib.py", Graph([Symbol("lib.helper", SymbolKind.Function)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "helper"), Call(string.Empty, "helper", line: 30)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "own.py", Graph([Symbol("own.helper", SymbolKind.Function), Symbol("own.go", SymbolKind.Function)], [Call("own.go", "helper")])), Ct);

        var callers = await store.Graph.GetNeighborsAsync([new SymbolKey("r", "lib.py", "lib.helper")], Query(GraphRelation.Caller), Ct);

        Assert.Equal([new SymbolKey("r", "app.py", "app.main"), new SymbolKey("r", "app.py", string.Empty)], callers.Select(n => n.Neighbor));
        Assert.All(callers, n => Assert.Equal(GraphRelation.Caller, n.Relation));
        Assert.Equal(SymbolKind.Function, callers[0].Kind);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Neighbours_HiddenRepository_NeverReturnedEvenWhenACallsIntoB()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("a", "app.py", Graph(
            [Symbol("app.main", SymbolKind.Function)],
            [Call("app.main", "secret_api")],
            [new ImportInfo("secret", [], null, 1)],
            [new InheritanceInfo("app.main", "SecretBase", 1)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("b", "secret.py", Graph(
            [Symbol("secret.secret_api", SymbolKind.Function), Symbol("secret.SecretBase", SymbolKind.Class)]
            )), Ct);
        var main = new SymbolKey("a", "app.py", "app.main");
        var api = new SymbolKey("b", "secret.py", "secret.secret_api");

        var fromA = await store.Graph.GetNeighborsAsync([main], Query(GraphRelation.All, ["a"], depth: 3), Ct);
        var fromB = await store.Graph.GetNeighborsAsync([api], Query(GraphRelation.All, ["b"], depth: 3), Ct);
        var hiddenOrigin = await store.Graph.GetNeighborsAsync([api], Query(GraphRelation.All, ["a"]), Ct);
        var both = await store.Graph.GetNeighborsAsync([main], Query(GraphRelation.Callee, ["a", "b"]), Ct);

        Assert.DoesNotContain(fromA, n => n.Neighbor.Repository != "a");
        Assert.DoesNotContain(fromB, n => n.Neighbor.Repository != "b");
        Assert.Empty(hiddenOrigin);
        Assert.Equal([api], both.Select(n => n.Neighbor));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Parent_ImportsAndInheritance_Resolved()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "base.py", Graph([Symbol("base.Repository", SymbolKind.Class, 1, 30)])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "users.py", Graph(
            [Symbol("users.UserRepository", SymbolKind.Class, 3, 40), Symbol("users.UserRepository.find", SymbolKind.Method, 5, 9, "users.UserRepository")],
            imports: [new ImportInfo("base", ["Repository"], null, 1)],
            inheritance: [new InheritanceInfo("users.UserRepository", "Repository", 3)])), Ct);
        var type = new SymbolKey("r", "users.py", "users.UserRepository");
        var method = new SymbolKey("r", "users.py", "users.UserRepository.find");
        var baseType = new SymbolKey("r", "base.py", "base.Repository");

        Assert.Equal([type], await NeighboursAsync(store, method, Query(GraphRelation.Parent)));
        Assert.Equal([new SymbolKey("r", "base.py", string.Empty)], await NeighboursAsync(store, method, Query(GraphRelation.Imports)));
        Assert.Equal([baseType], await NeighboursAsync(store, type, Query(GraphRelation.BaseType)));
        Assert.Equal([type], await NeighboursAsync(store, baseType, Query(GraphRelation.DerivedType)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Depth_TwoHopsWithCycle_ReachesSecondHopOnceAndStopsAtCycle()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "m.py", Graph(
            [Symbol("m.a", SymbolKind.Function), Symbol("m.b", SymbolKind.Function, 10, 12), Symbol("m.c", SymbolKind.Function, 20, 22)],
            [Call("m.a", "b"), Call("m.b", "c"), Call("m.b", "a"), Call("m.c", "a")])), Ct);

        var neighbours = await store.Graph.GetNeighborsAsync([new SymbolKey("r", "m.py", "m.a")], Query(GraphRelation.Callee, depth: 3), Ct);

        Assert.Equal([("m.b", 1), ("m.c", 2)], neighbours.Select(n => (n.Neighbor.QualifiedName, n.Depth)));
        Assert.All(neighbours, n => Assert.Equal(new SymbolKey("r", "m.py", "m.a"), n.From));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task IncrementalUpdate_CallRemovedAndDefinitionMoved_NoStaleEdges()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "helper"), Call("app.main", "other")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "lib.py", Graph([Symbol("lib.helper", SymbolKind.Function), Symbol("lib.other", SymbolKind.Function)])), Ct);
        var main = new SymbolKey("r", "app.py", "app.main");

        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "helper")])), Ct);
        await store.Writer.RemoveFilesAsync("r", ["lib.py"], Ct);
        await store.Writer.ApplyFileAsync(GraphFile("r", "moved.py", Graph([Symbol("moved.helper", SymbolKind.Function)])), Ct);

        Assert.Equal([new SymbolKey("r", "moved.py", "moved.helper")], await NeighboursAsync(store, main, Query(GraphRelation.Callee)));
        Assert.Empty(await NeighboursAsync(store, new SymbolKey("r", "lib.py", "lib.helper"), Query(GraphRelation.Caller)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task IncrementalSync_V1ThenV2_NeighboursEqualCleanIndexOfV2()
    {
        await using var incremental = await CreateStoreAsync();
        await using var rebuilt = await CreateStoreAsync();
        var app = GraphFile("r", "app.py", Graph(
            [Symbol("app.Service", SymbolKind.Class, 1, 30), Symbol("app.Service.run", SymbolKind.Method, 2, 10, "app.Service")],
            [Call("app.Service.run", "helper"), Call("app.Service.run", "util"), Call("app.Service.run", "Model")],
            [new ImportInfo("lib", ["helper"], null, 1)],
            [new InheritanceInfo("app.Service", "Base", 1)]));
        var libV1 = GraphFile("r", "lib.py", Graph([Symbol("lib.helper", SymbolKind.Function), Symbol("lib.Base", SymbolKind.Class, 10, 20)], [Call("lib.helper", "util")]));
        var util = GraphFile("r", "util.py", Graph([Symbol("util.util", SymbolKind.Function)]));
        var libV2 = GraphFile("r", "lib.py", Graph([Symbol("lib.helper", SymbolKind.Function, 3, 9), Symbol("lib.Base", SymbolKind.Class, 12, 30)], [Call("lib.helper", "Model")]));
        var models = GraphFile("r", "models.py", Graph([Symbol("models.Model", SymbolKind.Class), Symbol("models.Model.__init__", SymbolKind.Constructor, 2, 3, "models.Model"), Symbol("models.util", SymbolKind.Function, 5, 6)]));
        foreach (var update in (FileUpdate[])[app, libV1, util])
        {
            await incremental.Writer.ApplyFileAsync(update, Ct);
        }

        await incremental.Writer.ApplyFileAsync(libV2, Ct);
        await incremental.Writer.RemoveFilesAsync("r", ["util.py"], Ct);
        await incremental.Writer.ApplyFileAsync(models, Ct);
        foreach (var update in (FileUpdate[])[app, libV2, models])
        {
            await rebuilt.Writer.ApplyFileAsync(update, Ct);
        }

        SymbolKey[] probes =
        [
            new("r", "app.py", "app.Service.run"), new("r", "app.py", "app.Service"), new("r", "lib.py", "lib.helper"),
            new("r", "lib.py", "lib.Base"), new("r", "models.py", "models.Model"), new("r", "models.py", "models.util"),
            new("r", "util.py", "util.util"), new("r", "app.py", string.Empty),
        ];
        var query = Query(GraphRelation.All, depth: 2);
        var expected = await rebuilt.Graph.GetNeighborsAsync(probes, query, Ct);
        var actual = await incremental.Graph.GetNeighborsAsync(probes, query, Ct);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Contains(actual, n => n.Relation == GraphRelation.Callee && n.Neighbor.QualifiedName == "models.util");
        Assert.DoesNotContain(actual, n => n.Neighbor.Path == "util.py");
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task GetNeighbors_EmptyInputsUnknownSymbolsAndNoRelations_ReturnEmpty()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "app.py", Graph([Symbol("app.main", SymbolKind.Function)], [Call("app.main", "main")])), Ct);

        Assert.Empty(await store.Graph.GetNeighborsAsync([], Query(GraphRelation.All), Ct));
        Assert.Empty(await store.Graph.GetNeighborsAsync([new SymbolKey("r", "nope.py", "x")], Query(GraphRelation.All), Ct));
        Assert.Empty(await store.Graph.GetNeighborsAsync([new SymbolKey("r", "app.py", "app.main")], Query(GraphRelation.None), Ct));
        Assert.Empty(await store.Graph.GetNeighborsAsync([new SymbolKey("r", "app.py", "app.main")], Query(GraphRelation.All, []), Ct));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Unicode_IdentifiersAndPaths_ResolveAcrossFiles()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("р", "модуль/главный.py", Graph([Symbol("главный.запуск", SymbolKind.Function)], [Call("главный.запуск", "получитьДанные")])), Ct);
        await store.Writer.ApplyFileAsync(GraphFile("р", "модуль/данные.py", Graph([Symbol("данные.получитьДанные", SymbolKind.Function)])), Ct);

        Assert.Equal(
            [new SymbolKey("р", "модуль/данные.py", "данные.получитьДанные")],
            await NeighboursAsync(store, new SymbolKey("р", "модуль/главный.py", "главный.запуск"), Query(GraphRelation.Callee)));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task MaxPerRelation_ManyCallers_Capped()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.ApplyFileAsync(GraphFile("r", "lib.py", Graph([Symbol("lib.popular", SymbolKind.Function)])), Ct);
        for (var i = 0; i < 12; i++)
        {
            await store.Writer.ApplyFileAsync(GraphFile("r", $"c{i:D2}.py", Graph([Symbol($"c{i:D2}.f", SymbolKind.Function)], [Call($"c{i:D2}.f", "popular")])), Ct);
        }

        var callers = await NeighboursAsync(store, new SymbolKey("r", "lib.py", "lib.popular"), Query(GraphRelation.Caller, maxPerRelation: 5));

        Assert.Equal(5, callers.Count);
        Assert.Equal(5, callers.Distinct().Count());
    }
}
