using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter.Languages;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>
/// Symbols, calls, imports and inheritance for the tree-sitter languages (<see cref="SupportedLanguages"/>), using our own
/// queries (embedded <c>TreeSitter/Queries/*.scm</c>) over grammars compiled into <c>libcgr_treesitter.so</c>.
/// </summary>
/// <remarks>
/// Thread-safe: parsers are pooled per language and each query is compiled once, on first use. The instance owns native
/// parsers, cursors and queries; dispose it once no extraction is running.
/// </remarks>
public sealed class TreeSitterExtractor : ISyntaxExtractor, IDisposable
{
    /// <summary>Bumped whenever extraction code changes behaviour; part of every <see cref="GetVersion"/> string.</summary>
    internal const string RulesVersion = "1";

    /// <summary>Default time one file may take to parse before it is given up as unparseable.</summary>
    public static readonly TimeSpan DefaultParseTimeout = TimeSpan.FromSeconds(10);

    private static readonly FrozenDictionary<string, TreeSitterLanguage> _languages = CreateLanguages();
    private readonly Dictionary<string, Lazy<LanguageRuntime>> _runtimes;
    private readonly TimeSpan _parseTimeout;
    private int _disposed;

    /// <summary>Creates an extractor with <see cref="DefaultParseTimeout"/>; native state is created lazily per language.</summary>
    public TreeSitterExtractor()
        : this(DefaultParseTimeout)
    {
    }

    /// <summary>Creates an extractor whose parses stop after <paramref name="parseTimeout"/> per file.</summary>
    /// <param name="parseTimeout">Time budget for one parse; a file that exceeds it yields no facts and one syntax error.</param>
    public TreeSitterExtractor(TimeSpan parseTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(parseTimeout, TimeSpan.Zero);
        _parseTimeout = parseTimeout;
        TreeSitterLibrary.EnsureResolver();
        _runtimes = _languages.ToDictionary(
            static kv => kv.Key,
            static kv => new Lazy<LanguageRuntime>(() => new LanguageRuntime(kv.Value, kv.Value.LoadQuery())),
            StringComparer.Ordinal);
    }

    /// <summary>Tests only: match with tree-sitter's query cursor (the reference the pattern matcher is held to).</summary>
    internal bool UseQueryCursor { get; init; }

    /// <summary>The language ids handled here: python, javascript, typescript, tsx, go, java, rust, c, cpp, ruby, php.</summary>
    public static IReadOnlyCollection<string> SupportedLanguages { get; } = [.. _languages.Keys.Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Languages => SupportedLanguages;

    /// <inheritdoc/>
    /// <remarks>Combines <see cref="RulesVersion"/>, the grammar package version and a hash of the language's query file.</remarks>
    public string GetVersion(string language) => Runtime(language).Version;

    /// <inheritdoc/>
    /// <remarks>A parse that exceeds the time budget yields no facts and <see cref="SyntaxFacts.SyntaxErrors"/> = 1.</remarks>
    public SyntaxFacts Extract(string language, string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        var runtime = Runtime(language);

        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(max, 1));
        var pair = runtime.Rent();
        nint tree = 0;
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            unsafe
            {
                fixed (byte* p = buffer)
                {
                    tree = ParseControl.Parse(pair.Parser, p, length, _parseTimeout, cancellationToken);
                }
            }

            if (tree == 0)
            {
                // CGR: the parse stopped (cancelled, or over the time budget on pathological input).
                cancellationToken.ThrowIfCancellationRequested();
                return new SyntaxFacts([], [], [], [], 1);
            }

            var doc = new TsDocument(buffer, length);
            var root = TsNative.ts_tree_root_node(tree);
            return new FileExtraction(runtime, doc, path).Run(root, UseQueryCursor ? pair.Cursor : 0, cancellationToken);
        }
        finally
        {
            if (tree != 0)
            {
                TsNative.ts_tree_delete(tree);
            }

            runtime.Return(pair);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Frees the pooled parsers, cursors and compiled queries.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var runtime in _runtimes.Values)
        {
            if (runtime.IsValueCreated)
            {
                runtime.Value.Dispose();
            }
        }
    }

    internal LanguageRuntime Runtime(string language)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _runtimes.TryGetValue(language, out var runtime)
            ? runtime.Value
            : throw new ArgumentException($"Language '{language}' is not handled by tree-sitter; supported: {string.Join(", ", SupportedLanguages)}.", nameof(language));
    }

    private static FrozenDictionary<string, TreeSitterLanguage> CreateLanguages()
    {
        var js = new JavaScriptRules();
        var c = new CFamilyRules();
        TreeSitterLanguage[] all =
        [
            new("python", "0.25.0", TsNative.tree_sitter_python, "python.scm", new PythonRules()),
            new("javascript", "0.25.0", TsNative.tree_sitter_javascript, "javascript.scm", js),
            new("typescript", "0.23.2", TsNative.tree_sitter_typescript, "typescript.scm", js),
            new("tsx", "0.23.2", TsNative.tree_sitter_tsx, "typescript.scm", js),
            new("go", "0.25.0", TsNative.tree_sitter_go, "go.scm", new GoRules()),
            new("java", "0.23.5", TsNative.tree_sitter_java, "java.scm", new JavaRules()),
            new("rust", "0.24.0", TsNative.tree_sitter_rust, "rust.scm", new RustRules()),
            new("c", "0.24.1", TsNative.tree_sitter_c, "c.scm", c),
            new("cpp", "0.23.4", TsNative.tree_sitter_cpp, "cpp.scm", c),
            new("ruby", "0.23.1", TsNative.tree_sitter_ruby, "ruby.scm", new RubyRules()),
            new("php", "0.24.2", TsNative.tree_sitter_php, "php.scm", new PhpRules()),
        ];
        return all.ToFrozenDictionary(static l => l.Id, StringComparer.Ordinal);
    }
}
