namespace CodeGraphRag.Parsing.Languages;

/// <summary>The language ids <see cref="LanguageRegistry"/> returns, and which of them are parsed for symbols.</summary>
public static class LanguageIds
{
    /// <summary>C# (Roslyn).</summary>
    public const string CSharp = "csharp";

    /// <summary>Python.</summary>
    public const string Python = "python";

    /// <summary>JavaScript, including JSX and ES/CommonJS module extensions.</summary>
    public const string JavaScript = "javascript";

    /// <summary>TypeScript (not TSX).</summary>
    public const string TypeScript = "typescript";

    /// <summary>TypeScript with JSX.</summary>
    public const string Tsx = "tsx";

    /// <summary>Go.</summary>
    public const string Go = "go";

    /// <summary>Java.</summary>
    public const string Java = "java";

    /// <summary>Rust.</summary>
    public const string Rust = "rust";

    /// <summary>C (headers included).</summary>
    public const string C = "c";

    /// <summary>C++.</summary>
    public const string Cpp = "cpp";

    /// <summary>Ruby.</summary>
    public const string Ruby = "ruby";

    /// <summary>PHP.</summary>
    public const string Php = "php";

    /// <summary>Kotlin.</summary>
    public const string Kotlin = "kotlin";

    /// <summary>Swift.</summary>
    public const string Swift = "swift";

    /// <summary>Scala.</summary>
    public const string Scala = "scala";

    /// <summary>Lua.</summary>
    public const string Lua = "lua";

    /// <summary>F#.</summary>
    public const string FSharp = "fsharp";

    /// <summary>Visual Basic .NET.</summary>
    public const string VisualBasic = "vbnet";

    /// <summary>POSIX shells (sh, bash, zsh).</summary>
    public const string Shell = "shell";

    /// <summary>PowerShell.</summary>
    public const string PowerShell = "powershell";

    /// <summary>SQL.</summary>
    public const string Sql = "sql";

    /// <summary>Protocol Buffers.</summary>
    public const string Protobuf = "protobuf";

    /// <summary>Markdown.</summary>
    public const string Markdown = "markdown";

    /// <summary>YAML.</summary>
    public const string Yaml = "yaml";

    /// <summary>JSON.</summary>
    public const string Json = "json";

    /// <summary>TOML.</summary>
    public const string Toml = "toml";

    /// <summary>XML, including MSBuild project files.</summary>
    public const string Xml = "xml";

    /// <summary>HTML and server-side templates on top of it.</summary>
    public const string Html = "html";

    /// <summary>CSS and its preprocessors.</summary>
    public const string Css = "css";

    /// <summary>INI-style configuration (<c>.ini</c>, <c>.cfg</c>, <c>.conf</c>, <c>.properties</c>, <c>.editorconfig</c>).</summary>
    public const string Ini = "ini";

    /// <summary>dotenv files (<c>.env</c>, <c>.env.local</c>): plain text, but secrets-heavy.</summary>
    public const string DotEnv = "dotenv";

    /// <summary>Dockerfiles.</summary>
    public const string Dockerfile = "dockerfile";

    /// <summary>Makefiles.</summary>
    public const string Makefile = "makefile";

    /// <summary>CMake scripts.</summary>
    public const string CMake = "cmake";

    /// <summary>Plain text and lightweight markup other than Markdown (reStructuredText, AsciiDoc).</summary>
    public const string Text = "text";

    private static readonly HashSet<string> CodeLanguages = new(StringComparer.Ordinal)
    {
        CSharp, Python, JavaScript, TypeScript, Tsx, Go, Java, Rust, C, Cpp, Ruby, Php,
    };

    /// <summary>
    /// True for the languages that are parsed into symbols (C# by Roslyn, the rest by tree-sitter) and chunked
    /// along them; every other language, and any code language whose extractor is not registered, gets line windows.
    /// </summary>
    public static bool IsCode(string language) => CodeLanguages.Contains(language);
}
