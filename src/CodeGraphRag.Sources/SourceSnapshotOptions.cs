namespace CodeGraphRag.Sources;

/// <summary>Rules shared by <see cref="WorkingTreeSnapshot"/> and <see cref="GitRevisionSnapshot"/>.</summary>
public sealed record SourceSnapshotOptions
{
    /// <summary>The default size limit: 1 MiB.</summary>
    public const long DefaultMaxFileSize = 1024 * 1024;

    /// <summary>Folder names skipped as <see cref="SkipReasons.Vendored"/> at any depth (ordinal, case-sensitive).</summary>
    /// <remarks>
    /// CGR: build outputs (<c>bin</c>, <c>obj</c>, <c>dist</c>, <c>build</c>, <c>target</c>, <c>out</c>) are included even in a git
    /// revision, where they are tracked: such folders are nearly always checked-in artefacts. <c>third_party</c> is included as
    /// GitHub Linguist does. Editor settings folders such as <c>.vscode</c> are not (small, sometimes useful).
    /// </remarks>
    public static IReadOnlySet<string> DefaultVendoredDirectories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "node_modules", "bower_components", "jspm_packages", "vendor", "third_party", "3rdparty",
        "Pods", "Carthage", "bin", "obj", "dist", "build", "target", "out",
        ".venv", "venv", "site-packages", "__pycache__", ".tox", ".nox", ".eggs",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".gradle", ".next", ".nuxt", ".terraform",
        ".idea", ".vs", ".svn", ".hg",
    };

    /// <summary>Files larger than this are skipped as <see cref="SkipReasons.TooLarge"/>. Default 1 MiB.</summary>
    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    /// <summary>Extra patterns in .gitignore syntax, relative to the root, with the highest precedence (skipped as <see cref="SkipReasons.Ignored"/>).</summary>
    public IReadOnlyList<string> ExtraIgnorePatterns { get; init; } = [];

    /// <summary>Folder names skipped as <see cref="SkipReasons.Vendored"/>; defaults to <see cref="DefaultVendoredDirectories"/>.</summary>
    public IReadOnlySet<string> VendoredDirectories { get; init; } = DefaultVendoredDirectories;

    /// <summary>Whether .gitignore files and .git/info/exclude apply (working tree only; a git revision lists tracked files). Default true.</summary>
    public bool UseGitIgnore { get; init; } = true;
}
