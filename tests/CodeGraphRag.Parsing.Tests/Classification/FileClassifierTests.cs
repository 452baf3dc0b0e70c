using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Parsing.Classification;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Classification;

[Trait("Category", TestCategories.Unit)]
public sealed class FileClassifierTests
{
    [Theory]
    [InlineData("src/click/core.py", "python", FileClass.Code)]
    [InlineData("lib/changelog.py", "python", FileClass.Code)]
    [InlineData("src/History/HistoryService.cs", "csharp", FileClass.Code)]
    [InlineData("tests/test_core.py", "python", FileClass.Test)]
    [InlineData("src/Foo.Tests/Helpers.cs", "csharp", FileClass.Test)]
    [InlineData("context_test.go", "go", FileClass.Test)]
    [InlineData("tests/fixtures/payload.json", "json", FileClass.Test)]
    [InlineData("README.md", "markdown", FileClass.Docs)]
    [InlineData("docs/api/reference.rst", "text", FileClass.Docs)]
    [InlineData("LICENSE", "text", FileClass.Docs)]
    [InlineData("CHANGELOG.md", "markdown", FileClass.Changelog)]
    [InlineData("HISTORY.rst", "text", FileClass.Changelog)]
    [InlineData("CHANGES", "text", FileClass.Changelog)]
    [InlineData("NEWS.md", "markdown", FileClass.Changelog)]
    [InlineData("RELEASE_NOTES.md", "markdown", FileClass.Changelog)]
    [InlineData("changelog/1234.bugfix.rst", "text", FileClass.Changelog)]
    [InlineData("changelog.d/20240101_fix.md", "markdown", FileClass.Changelog)]
    [InlineData("doc/releases/2.1.rst", "text", FileClass.Changelog)]
    [InlineData(".changeset/brave-dogs-run.md", "markdown", FileClass.Changelog)]
    [InlineData(".github/workflows/ci.yml", "yaml", FileClass.Config)]
    [InlineData(".github/dependabot.yml", "yaml", FileClass.Config)]
    [InlineData(".github/ISSUE_TEMPLATE/bug.md", "markdown", FileClass.Docs)]
    [InlineData("package.json", "json", FileClass.Config)]
    [InlineData("package-lock.json", "json", FileClass.Config)]
    [InlineData("yarn.lock", "text", FileClass.Config)]
    [InlineData("go.mod", "text", FileClass.Config)]
    [InlineData("go.sum", "text", FileClass.Config)]
    [InlineData("setup.py", "python", FileClass.Config)]
    [InlineData("pyproject.toml", "toml", FileClass.Config)]
    [InlineData("requirements-dev.txt", "text", FileClass.Config)]
    [InlineData("src/Serilog/Serilog.csproj", "xml", FileClass.Config)]
    [InlineData("Directory.Build.props", "xml", FileClass.Config)]
    [InlineData("webpack.config.js", "javascript", FileClass.Config)]
    [InlineData(".editorconfig", "ini", FileClass.Config)]
    [InlineData("Makefile", "makefile", FileClass.Config)]
    [InlineData("Dockerfile", "dockerfile", FileClass.Config)]
    [InlineData("docs/conf.py", "python", FileClass.Config)]
    [InlineData("docs/examples/custom_decoder.py", "python", FileClass.Example)]
    [InlineData("examples/basic/main.go", "go", FileClass.Example)]
    [InlineData("samples/Demo/Program.cs", "csharp", FileClass.Example)]
    [InlineData("benchmarks/bench_parse.py", "python", FileClass.Benchmark)]
    [InlineData("src/Parsing/ParserBenchmarks.cs", "csharp", FileClass.Benchmark)]
    [InlineData("src/api/generated/client.ts", "typescript", FileClass.Generated)]
    public void Classify_ByPathAndLanguage(string path, string language, FileClass expected)
    {
        Assert.Equal(expected, FileClassifier.Classify(path, language));
    }

    [Fact]
    public void Classify_DocsPageMostlyVersionHeadings_IsAChangelog()
    {
        const string ReleaseNotes = """
            Release notes
            =============

            Version 2.1.0
            -------------
            Added retries.

            Version 2.0.1
            -------------
            Fixed a leak.

            ## 2.0.0 (2024-01-02)
            Dropped Python 3.7.
            """;
        const string Guide = """
            # Installing

            ## From PyPI
            pip install it.

            ## Since 2.0
            The retry option exists.

            ## Configuration
            See below.
            """;

        Assert.Equal(FileClass.Changelog, FileClassifier.Classify("docs/updates.rst", "text", ReleaseNotes));
        Assert.Equal(FileClass.Docs, FileClassifier.Classify("docs/install.md", "markdown", Guide));
        Assert.Equal(FileClass.Code, FileClassifier.Classify("src/versions.py", "python", ReleaseNotes));
    }
}
