using System.Collections.Frozen;
using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Languages;

/// <summary>Detects a file's language from its extension or a well-known file name (see <see cref="LanguageIds"/>).</summary>
/// <remarks>Immutable and thread-safe. Extension and name matching ignore case.</remarks>
public sealed class LanguageRegistry : ILanguageRegistry
{
    private static readonly FrozenDictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = LanguageIds.CSharp, [".csx"] = LanguageIds.CSharp,
        [".py"] = LanguageIds.Python, [".pyi"] = LanguageIds.Python, [".pyw"] = LanguageIds.Python,
        [".js"] = LanguageIds.JavaScript, [".mjs"] = LanguageIds.JavaScript, [".cjs"] = LanguageIds.JavaScript, [".jsx"] = LanguageIds.JavaScript,
        [".ts"] = LanguageIds.TypeScript, [".mts"] = LanguageIds.TypeScript, [".cts"] = LanguageIds.TypeScript,
        [".tsx"] = LanguageIds.Tsx,
        [".go"] = LanguageIds.Go,
        [".java"] = LanguageIds.Java,
        [".rs"] = LanguageIds.Rust,
        [".c"] = LanguageIds.C, [".h"] = LanguageIds.C,
        [".cc"] = LanguageIds.Cpp, [".cpp"] = LanguageIds.Cpp, [".cxx"] = LanguageIds.Cpp, [".c++"] = LanguageIds.Cpp,
        [".hpp"] = LanguageIds.Cpp, [".hh"] = LanguageIds.Cpp, [".hxx"] = LanguageIds.Cpp, [".h++"] = LanguageIds.Cpp,
        [".ipp"] = LanguageIds.Cpp, [".inl"] = LanguageIds.Cpp,
        [".rb"] = LanguageIds.Ruby, [".rake"] = LanguageIds.Ruby, [".gemspec"] = LanguageIds.Ruby,
        [".php"] = LanguageIds.Php, [".phtml"] = LanguageIds.Php,
        [".kt"] = LanguageIds.Kotlin, [".kts"] = LanguageIds.Kotlin,
        [".swift"] = LanguageIds.Swift,
        [".scala"] = LanguageIds.Scala, [".sc"] = LanguageIds.Scala,
        [".lua"] = LanguageIds.Lua,
        [".fs"] = LanguageIds.FSharp, [".fsi"] = LanguageIds.FSharp, [".fsx"] = LanguageIds.FSharp,
        [".vb"] = LanguageIds.VisualBasic,
        [".sh"] = LanguageIds.Shell, [".bash"] = LanguageIds.Shell, [".zsh"] = LanguageIds.Shell, [".ksh"] = LanguageIds.Shell,
        [".ps1"] = LanguageIds.PowerShell, [".psm1"] = LanguageIds.PowerShell, [".psd1"] = LanguageIds.PowerShell,
        [".sql"] = LanguageIds.Sql,
        [".proto"] = LanguageIds.Protobuf,
        [".md"] = LanguageIds.Markdown, [".markdown"] = LanguageIds.Markdown, [".mdx"] = LanguageIds.Markdown,
        [".yml"] = LanguageIds.Yaml, [".yaml"] = LanguageIds.Yaml,
        [".json"] = LanguageIds.Json, [".jsonc"] = LanguageIds.Json, [".json5"] = LanguageIds.Json,
        [".toml"] = LanguageIds.Toml,
        [".xml"] = LanguageIds.Xml, [".xsd"] = LanguageIds.Xml, [".xslt"] = LanguageIds.Xml, [".xaml"] = LanguageIds.Xml,
        [".csproj"] = LanguageIds.Xml, [".fsproj"] = LanguageIds.Xml, [".vbproj"] = LanguageIds.Xml, [".proj"] = LanguageIds.Xml,
        [".props"] = LanguageIds.Xml, [".targets"] = LanguageIds.Xml, [".nuspec"] = LanguageIds.Xml, [".resx"] = LanguageIds.Xml,
        [".slnx"] = LanguageIds.Xml, [".plist"] = LanguageIds.Xml,
        [".html"] = LanguageIds.Html, [".htm"] = LanguageIds.Html, [".xhtml"] = LanguageIds.Html,
        [".cshtml"] = LanguageIds.Html, [".razor"] = LanguageIds.Html, [".vue"] = LanguageIds.Html, [".svelte"] = LanguageIds.Html,
        [".css"] = LanguageIds.Css, [".scss"] = LanguageIds.Css, [".sass"] = LanguageIds.Css, [".less"] = LanguageIds.Css,
        [".ini"] = LanguageIds.Ini, [".cfg"] = LanguageIds.Ini, [".conf"] = LanguageIds.Ini, [".properties"] = LanguageIds.Ini,
        [".env"] = LanguageIds.DotEnv,
        [".dockerfile"] = LanguageIds.Dockerfile,
        [".mk"] = LanguageIds.Makefile, [".mak"] = LanguageIds.Makefile,
        [".cmake"] = LanguageIds.CMake,
        [".txt"] = LanguageIds.Text, [".rst"] = LanguageIds.Text, [".adoc"] = LanguageIds.Text, [".asciidoc"] = LanguageIds.Text,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> ByFileName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Dockerfile"] = LanguageIds.Dockerfile, ["Containerfile"] = LanguageIds.Dockerfile,
        ["Makefile"] = LanguageIds.Makefile, ["GNUmakefile"] = LanguageIds.Makefile,
        ["CMakeLists.txt"] = LanguageIds.CMake,
        ["Rakefile"] = LanguageIds.Ruby, ["Gemfile"] = LanguageIds.Ruby, ["Podfile"] = LanguageIds.Ruby, ["Vagrantfile"] = LanguageIds.Ruby,
        ["Pipfile"] = LanguageIds.Toml, ["Cargo.lock"] = LanguageIds.Toml,
        [".editorconfig"] = LanguageIds.Ini, [".gitconfig"] = LanguageIds.Ini, [".npmrc"] = LanguageIds.Ini,
        [".bashrc"] = LanguageIds.Shell, [".bash_profile"] = LanguageIds.Shell, [".zshrc"] = LanguageIds.Shell, [".profile"] = LanguageIds.Shell,
        ["README"] = LanguageIds.Text, ["LICENSE"] = LanguageIds.Text, ["LICENCE"] = LanguageIds.Text, ["COPYING"] = LanguageIds.Text,
        ["NOTICE"] = LanguageIds.Text, ["AUTHORS"] = LanguageIds.Text, ["CHANGELOG"] = LanguageIds.Text, ["CONTRIBUTORS"] = LanguageIds.Text,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

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
}
