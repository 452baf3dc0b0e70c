namespace CodeGraphRag.Sources;

/// <summary>
/// Why a snapshot entry is not indexed. The strings are stable: they are stored and shown by <c>cgr status</c>.
/// </summary>
public static class SkipReasons
{
    /// <summary>A known binary extension, or a NUL byte in the first 8 KiB (files with a UTF-16/32 byte order mark excepted).</summary>
    public const string Binary = "binary";

    /// <summary>Larger than <see cref="SourceSnapshotOptions.MaxFileSize"/>.</summary>
    public const string TooLarge = "too-large";

    /// <summary>Generated or minified: by name (<c>*.min.js</c>, <c>*.g.cs</c>, <c>*_pb2.py</c>, lockfiles, ...), by a header such as "auto-generated" or "do not edit", or by an average line length over 300 characters.</summary>
    public const string Generated = "generated";

    /// <summary>A dependency, build-output or tool folder (<c>node_modules</c>, <c>vendor</c>, <c>bin</c>, <c>obj</c>, ...); recorded once for the folder.</summary>
    public const string Vendored = "vendored";

    /// <summary>Matched by a <c>.gitignore</c>, <c>.git/info/exclude</c> or an extra ignore pattern; an ignored folder is recorded once.</summary>
    public const string Ignored = "ignored";

    /// <summary>Not a readable regular file (permissions, a FIFO, socket or device, a dangling symlink).</summary>
    public const string Unreadable = "unreadable";

    /// <summary>A symlink whose target is inside the root: not followed, because the target is indexed under its own path.</summary>
    public const string Symlink = "symlink";

    /// <summary>A symlink whose target lies outside the snapshot root.</summary>
    public const string SymlinkOutsideRoot = "symlink-outside-root";

    /// <summary>A symlink that points at one of its own ancestor folders, or a chain of links that never ends.</summary>
    public const string SymlinkLoop = "symlink-loop";

    /// <summary>A nested git repository (a folder with its own <c>.git</c>) or a gitlink entry (mode 160000).</summary>
    public const string Submodule = "submodule";
}
