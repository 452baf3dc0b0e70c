using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Search;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Search;

[Trait("Category", TestCategories.Unit)]
public sealed class SearchScopeTests
{
    internal static ChunkRecord Chunk(string id, string repository = "a", string path = "src/x.py", string language = "python", FileClass fileClass = FileClass.Code) =>
        new(id, repository, path, language, id, ChunkKind.Function, 1, 2, "text", "hash", "key", "lexical", null, fileClass);

    [Fact]
    public void Resolve_NoFilters_TrimsTextAndLeavesEverythingOpen()
    {
        var scope = SearchScope.Resolve(new SearchRequest("  retry policy \n"));

        Assert.Equal("retry policy", scope.Text);
        Assert.Equal(new ChunkFilter(null, null, null), scope.Filter);
        Assert.False(scope.IsEmpty);
    }

    [Fact]
    public void Resolve_AccessControl_NarrowsRequestedRepositoriesToReadableOnes()
    {
        var scope = SearchScope.Resolve(new SearchRequest("retry", Repositories: ["a", "secret"], AllowedRepositories: ["a", "b"]));

        Assert.Equal(["a"], scope.Filter.Repositories);
    }

    [Fact]
    public void Resolve_AccessControlWithoutRequestedRepositories_ReadsEveryReadableOne()
    {
        var scope = SearchScope.Resolve(new SearchRequest("retry", AllowedRepositories: ["a", "b"]));

        Assert.Equal(["a", "b"], scope.Filter.Repositories);
    }

    [Fact]
    public void Resolve_InlineRepositoryOutsideReadableOnes_IsEmpty()
    {
        var scope = SearchScope.Resolve(new SearchRequest("retry repo:secret", AllowedRepositories: ["a"]));

        Assert.Equal("retry", scope.Text);
        Assert.Empty(scope.Filter.Repositories!);
        Assert.True(scope.IsEmpty);
    }

    [Fact]
    public void Resolve_NothingReadable_IsEmpty()
    {
        Assert.True(SearchScope.Resolve(new SearchRequest("retry", AllowedRepositories: [])).IsEmpty);
    }

    [Fact]
    public void Resolve_OnlyFilters_IsEmpty()
    {
        var scope = SearchScope.Resolve(new SearchRequest("repo:a lang:py"));

        Assert.Equal(string.Empty, scope.Text);
        Assert.True(scope.IsEmpty);
    }

    [Fact]
    public void Resolve_InlineRepositories_IntersectRequestedOnes()
    {
        var scope = SearchScope.Resolve(new SearchRequest("retry repo:b repo:c", Repositories: ["a", "b"]));

        Assert.Equal(["b"], scope.Filter.Repositories);
    }

    [Fact]
    public void Resolve_InlineFilters_AddLanguagesAndClassesAndReplaceThePath()
    {
        var request = new SearchRequest("retry lang:ts path:src/* kind:test,test -kind:docs", Languages: ["C#"], PathGlob: "lib/*",
            Classes: [FileClass.Test], ExcludedClasses: [FileClass.Docs]);

        var scope = SearchScope.Resolve(request);

        Assert.Equal("retry", scope.Text);
        Assert.Equal(["csharp", "typescript"], scope.Filter.Languages);
        Assert.Equal("src/*", scope.Filter.PathGlob);
        Assert.Equal([FileClass.Test], scope.Filter.Classes);
        Assert.Equal([FileClass.Docs], scope.Filter.ExcludedClasses);
    }

    [Fact]
    public void Resolve_InlineFiltersOff_KeepsTheTextAsWritten()
    {
        var scope = SearchScope.Resolve(new SearchRequest(" retry repo:b ", Repositories: ["a"], ParseInlineFilters: false));

        Assert.Equal("retry repo:b", scope.Text);
        Assert.Equal(["a"], scope.Filter.Repositories);
    }

    [Fact]
    public void Resolve_EmptyLists_MeanNoFilter()
    {
        var scope = SearchScope.Resolve(new SearchRequest("retry", Languages: [], Classes: [], ExcludedClasses: []));

        Assert.Null(scope.Filter.Languages);
        Assert.Null(scope.Filter.Classes);
        Assert.Null(scope.Filter.ExcludedClasses);
    }

    [Fact]
    public void Resolve_MalformedInlineFilter_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => SearchScope.Resolve(new SearchRequest("retry repo:")));

        Assert.Equal("request", error.ParamName);
    }

    [Fact]
    public void Admits_ChecksRepositoryLanguagePathAndClass()
    {
        var scope = new SearchScope("q", new ChunkFilter(["a"], ["python"], "src/**", ExcludedClasses: [FileClass.Test]));

        Assert.True(scope.Admits(Chunk("1")));
        Assert.False(scope.Admits(Chunk("2", repository: "b")));
        Assert.False(scope.Admits(Chunk("3", language: "go")));
        Assert.False(scope.Admits(Chunk("4", path: "docs/x.py")));
        Assert.False(scope.Admits(Chunk("5", fileClass: FileClass.Test)));
    }
}
