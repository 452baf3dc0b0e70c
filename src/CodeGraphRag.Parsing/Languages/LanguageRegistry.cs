using System.Collections.Frozen;
using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Languages;

/// <summary>Detects a file's language from its extension or a well-known file name (see <see cref="LanguageIds"/>).</summary>
/// <remarks>Immutable and thread-safe. Extension and name matching ignore case.</remarks>
public sealed class LanguageRegistry : ILanguageRegistry
{
    private static readonly FrozenDictionary<string, string> ByExtension = Index(
        (LanguageIds.CSharp, [".cs", ".csx"]),
        (LanguageIds.Python, [".py", ".pyi", ".pyw"]),
        (LanguageIds.JavaScript, [".js", ".mjs", ".cjs", ".jsx"]),
        (LanguageIds.TypeScript, [".ts", ".mts", ".cts"]),
        (LanguageIds.Tsx, [".tsx"]),
        (LanguageIds.Go, [".go"]),
        (LanguageIds.Java, [".java"]),
        (LanguageIds.Rust, [".rs"]),
        (LanguageIds.C, [".c", ".h"]),
        (LanguageIds.Cpp, [".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".inl"]),
        (LanguageIds.Ruby, [".rb", ".rake", ".gemspec"]),
        (LanguageIds.Php, [".php", ".phtml"]),
        (LanguageIds.Kotlin, [".kt", ".kts"]),
        (LanguageIds.Swift, [".swift"]),
        (LanguageIds.Scala, [".scala", ".sc"]),
        (LanguageIds.Lua, [".lua"]),
        (LanguageIds.FSharp, [".fs", ".fsi", ".fsx"]),
        (LanguageIds.VisualBasic, [".vb"]),
        (LanguageIds.Shell, [".sh", ".bash", ".zsh", ".ksh"]),
        (LanguageIds.PowerShell, [".ps1", ".psm1", ".psd1"]),
        (LanguageIds.Sql, [".sql"]),
        (LanguageIds.Protobuf, [".proto"]),
        (LanguageIds.Markdown, [".md", ".markdown", ".mdx"]),
        (LanguageIds.Yaml, [".yml", ".yaml"]),
        (LanguageIds.Json, [".json", ".jsonc", ".json5"]),
        (LanguageIds.Toml, [".toml"]),
        (LanguageIds.Xml, [".xml", ".xsd", ".xslt", ".xaml", ".csproj", ".fsproj", ".vbproj", ".proj", ".props", ".targets", ".nuspec", ".resx", ".slnx", ".plist"]),
        (LanguageIds.Html, [".html", ".htm", ".xhtml", ".cshtml", ".razor", ".vue", ".svelte"]),
        (LanguageIds.Css, [".css", ".scss", ".sass", ".less"]),
        (LanguageIds.Ini, [".ini", ".cfg", ".conf", ".properties"]),
        (LanguageIds.DotEnv, [".env"]),
        (LanguageIds.Dockerfile, [".dockerfile"]),
        (LanguageIds.Makefile, [".mk", ".mak"]),
        (LanguageIds.CMake, [".cmake"]),
        (LanguageIds.Text, [".txt", ".rst", ".adoc", ".asciidoc"]));

    private static readonly FrozenDictionary<string, string> ByFileName = Index(
        (LanguageIds.Dockerfile, ["Dockerfile", "Containerfile"]),
        (LanguageIds.Makefile, ["Makefile", "GNUmakefile"]),
        (LanguageIds.CMake, ["CMakeLists.txt"]),
        (LanguageIds.Ruby, ["Rakefile", "Gemfile", "Podfile", "Vagrantfile"]),
        (LanguageIds.Toml, ["Pipfile", "Cargo.lock"]),
        (LanguageIds.Ini, [".editorconfig", ".gitconfig", ".npmrc"]),
        (LanguageIds.Shell, [".bashrc", ".bash_profile", ".zshrc", ".profile"]),
        (LanguageIds.Text, ["README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS", "CHANGELOG", "CONTRIBUTORS"]));

    /// <inheritdoc/>
    public string? Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = FileName(path);
        if (name.Length == 0)
        {
            return null;
        }

        if (ByFileName.TryGetValue(name, out var byName))
        {
            return byName;
        }

        // CGR: dotenv variants (.env.local, .env.production) and Dockerfile variants (Dockerfile.dev)
        // carry their kind in the first segment of the name, not in the extension.
        if (name.StartsWith(".env", StringComparison.OrdinalIgnoreCase) && (name.Length == 4 || name[4] == '.'))
        {
            return LanguageIds.DotEnv;
        }

        if (name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Containerfile.", StringComparison.OrdinalIgnoreCase))
        {
            return LanguageIds.Dockerfile;
        }

        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        return ByExtension.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name.AsSpan(dot), out var byExtension) ? byExtension : null;
    }

    private static string FileName(string path)
    {
        var slash = path.AsSpan().LastIndexOfAny('/', '\\');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    private static FrozenDictionary<string, string> Index(params (string Language, string[] Keys)[] languages) =>
        languages.SelectMany(l => l.Keys.Select(key => KeyValuePair.Create(key, l.Language)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
