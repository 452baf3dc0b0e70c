namespace CodeGraphRag.Sources;

/// <summary>Classification by name alone: binary extensions and generated-file names.</summary>
internal static class PathRules
{
    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".icns", ".webp", ".tif", ".tiff", ".psd", ".heic",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst", ".lz4", ".jar", ".war", ".ear", ".whl", ".nupkg",
        ".dll", ".so", ".dylib", ".exe", ".o", ".a", ".lib", ".obj", ".pdb", ".class", ".pyc", ".pyo", ".pyd", ".wasm",
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
        ".mp3", ".mp4", ".wav", ".ogg", ".flac", ".avi", ".mov", ".mkv", ".webm", ".m4a",
        ".sqlite", ".sqlite3", ".db", ".iso", ".dmg", ".bin", ".npy", ".npz", ".pkl", ".onnx", ".pt", ".ckpt", ".h5", ".parquet",
        ".snk", ".pfx", ".p12", ".keystore", ".jks",
    };

    private static readonly string[] GeneratedSuffixes =
    [
        ".min.js", ".min.mjs", ".min.css", ".js.map", ".css.map", ".g.cs", ".g.i.cs", ".designer.cs", ".generated.cs",
        "_pb2.py", "_pb2_grpc.py", "_pb2.pyi", ".pb.go", ".pb.gw.go", ".pb.cc", ".pb.h", "_grpc.pb.go", ".pb.swift", "_generated.go",
    ];

    private static readonly HashSet<string> GeneratedNames = new(StringComparer.Ordinal)
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock", "poetry.lock", "Pipfile.lock",
        "composer.lock", "Gemfile.lock", "go.sum", "packages.lock.json", "uv.lock", "bun.lockb", "flake.lock",
    };

    /// <summary>Extensions whose long lines are prose, not minified code.</summary>
    private static readonly HashSet<string> ProseExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".markdown", ".txt", ".rst", ".adoc", ".org", ".tex", ".csv", ".tsv",
    };

    public static bool IsBinaryByName(string path) => BinaryExtensions.Contains(Path.GetExtension(path));

    public static bool IsGeneratedByName(string path)
    {
        var name = FileName(path);
        if (GeneratedNames.Contains(name))
        {
            return true;
        }

        foreach (var suffix in GeneratedSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsProse(string path) => ProseExtensions.Contains(Path.GetExtension(path));

    /// <summary>The first folder of <paramref name="path"/> whose name is vendored, as a repository-relative path, or null.</summary>
    public static string? VendoredFolder(string path, IReadOnlySet<string> vendored)
    {
        var start = 0;
        while (true)
        {
            var slash = path.IndexOf('/', start);
            if (slash < 0)
            {
                return null;
            }

            if (vendored.Contains(path[start..slash]))
            {
                return path[..slash];
            }

            start = slash + 1;
        }
    }

    private static string FileName(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }
}
