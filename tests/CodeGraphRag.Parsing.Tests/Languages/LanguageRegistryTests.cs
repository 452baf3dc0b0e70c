using CodeGraphRag.Parsing.Languages;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Languages;

[Trait("Category", TestCategories.Unit)]
public sealed class LanguageRegistryTests
{
    private readonly LanguageRegistry _registry = new();

    [Theory]
    [InlineData("src/Auth/JwtValidator.cs", "csharp")]
    [InlineData("tools/build.py", "python")]
    [InlineData("web/app.jsx", "javascript")]
    [InlineData("web/server.mjs", "javascript")]
    [InlineData("web/config.cjs", "javascript")]
    [InlineData("web/types.d.ts", "typescript")]
    [InlineData("web/loader.mts", "typescript")]
    [InlineData("web/App.tsx", "tsx")]
    [InlineData("cmd/main.go", "go")]
    [InlineData("src/Main.java", "java")]
    [InlineData("src/lib.rs", "rust")]
    [InlineData("include/list.h", "c")]
    [InlineData("src/list.c", "c")]
    [InlineData("src/vec.hpp", "cpp")]
    [InlineData("src/vec.cc", "cpp")]
    [InlineData("SRC/VEC.CXX", "cpp")]
    [InlineData("app/models/user.rb", "ruby")]
    [InlineData("Gemfile", "ruby")]
    [InlineData("public/index.php", "php")]
    [InlineData("build.gradle.kts", "kotlin")]
    [InlineData("scripts/deploy.sh", "shell")]
    [InlineData("db/001_init.sql", "sql")]
    [InlineData("README.md", "markdown")]
    [InlineData(".github/workflows/ci.yml", "yaml")]
    [InlineData("package.json", "json")]
    [InlineData("Cargo.toml", "toml")]
    [InlineData("src/App/App.csproj", "xml")]
    [InlineData("Directory.Packages.props", "xml")]
    [InlineData("site/index.html", "html")]
    [InlineData("site/theme.scss", "css")]
    [InlineData("setup.cfg", "ini")]
    [InlineData("app.properties", "ini")]
    [InlineData(".editorconfig", "ini")]
    [InlineData(".env", "dotenv")]
    [InlineData("deploy/.env.production", "dotenv")]
    [InlineData("Dockerfile", "dockerfile")]
    [InlineData("src/Server/Dockerfile.dev", "dockerfile")]
    [InlineData("Makefile", "makefile")]
    [InlineData("rules.mk", "makefile")]
    [InlineData("CMakeLists.txt", "cmake")]
    [InlineData("notes.txt", "text")]
    [InlineData("docs/index.rst", "text")]
    [InlineData("LICENSE", "text")]
    [InlineData(@"src\Windows\Path.cs", "csharp")]
    public void Detect_KnownExtensionOrName_ReturnsLanguage(string path, string expected)
    {
        Assert.Equal(expected, _registry.Detect(path));
    }

    [Theory]
    [InlineData("assets/logo.png")]
    [InlineData("bin/tool")]
    [InlineData("archive.tar.gz")]
    [InlineData(".environment")]
    [InlineData("src/")]
    [InlineData("")]
    public void Detect_UnknownFile_ReturnsNull(string path)
    {
        Assert.Null(_registry.Detect(path));
    }

    [Theory]
    [InlineData("csharp", true)]
    [InlineData("python", true)]
    [InlineData("tsx", true)]
    [InlineData("php", true)]
    [InlineData("kotlin", false)]
    [InlineData("markdown", false)]
    [InlineData("yaml", false)]
    [InlineData("text", false)]
    public void IsCode_Language_SaysWhetherItIsParsedForSymbols(string language, bool expected)
    {
        Assert.Equal(expected, LanguageIds.IsCode(language));
    }
}
