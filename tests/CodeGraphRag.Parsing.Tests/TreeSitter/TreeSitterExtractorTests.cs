using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class TreeSitterExtractorTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void SupportedLanguages_ListsEveryTreeSitterLanguageId()
    {
        Assert.Equal(
            ["c", "cpp", "go", "java", "javascript", "php", "python", "ruby", "rust", "tsx", "typescript"],
            TreeSitterExtractor.SupportedLanguages);
        Assert.Equal(TreeSitterExtractor.SupportedLanguages, _extractor.Languages);
    }

    [Fact]
    public void GetVersion_IsStablePerLanguageAndDistinctAcrossLanguages()
    {
        using var other = new TreeSitterExtractor();

        var versions = TreeSitterExtractor.SupportedLanguages.ToDictionary(l => l, _extractor.GetVersion);

        Assert.All(versions, kv => Assert.Equal(kv.Value, other.GetVersion(kv.Key)));
        Assert.Equal(versions.Count, versions.Values.Distinct().Count());
        Assert.All(versions, kv => Assert.StartsWith($"ts-{kv.Key}/", kv.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void GetVersion_ChangesWithTheQueryText()
    {
        // typescript and tsx share one query file: the same query hash, with the language id in front.
        var ts = _extractor.GetVersion("typescript");
        var tsx = _extractor.GetVersion("tsx");
        var js = _extractor.GetVersion("javascript");

        Assert.Equal(ts.Split('/')[^1], tsx.Split('/')[^1]);
        Assert.NotEqual(ts.Split('/')[^1], js.Split('/')[^1]);
    }

    [Fact]
    public void Dispose_ThenExtract_ThrowsObjectDisposed()
    {
        var extractor = new TreeSitterExtractor();
        extractor.Extract("go", "a.go", "package a\n", TestContext.Current.CancellationToken);

        extractor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => extractor.Extract("go", "a.go", "package a\n", TestContext.Current.CancellationToken));
    }
}
