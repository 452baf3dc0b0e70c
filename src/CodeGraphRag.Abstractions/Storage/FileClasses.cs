namespace CodeGraphRag.Abstractions.Storage;

/// <summary>The stored and wire names of <see cref="FileClass"/> values (lower-case: <c>code</c>, <c>test</c>, <c>docs</c>, ...).</summary>
public static class FileClasses
{
    private static readonly string[] Names = ["code", "test", "docs", "changelog", "config", "generated", "example", "benchmark"];

    /// <summary>Every class, in declaration order.</summary>
    public static IReadOnlyList<FileClass> All { get; } = Enum.GetValues<FileClass>();

    /// <summary>The names every class is written as, in declaration order.</summary>
    public static IReadOnlyList<string> AllNames => Names;

    /// <summary>The lower-case name of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined class.</exception>
    public static string Name(this FileClass value) =>
        (uint)value < (uint)Names.Length ? Names[(int)value] : throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown file class.");

    /// <summary>Reads a class name (any case; <c>tests</c>, <c>doc</c>, <c>examples</c>, <c>benchmarks</c>, <c>changes</c> accepted).</summary>
    public static bool TryParse(string? name, out FileClass value)
    {
        value = FileClass.Code;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var lower = name.Trim().ToLowerInvariant();
        lower = lower switch
        {
            "tests" => "test",
            "doc" or "documentation" => "docs",
            "changes" or "changelogs" or "release-notes" => "changelog",
            "configuration" => "config",
            "examples" or "sample" or "samples" => "example",
            "benchmarks" or "bench" => "benchmark",
            _ => lower,
        };
        var index = Array.IndexOf(Names, lower);
        if (index < 0)
        {
            return false;
        }

        value = (FileClass)index;
        return true;
    }

    /// <summary>Reads a stored class name; anything unreadable (an older store's empty value) is <see cref="FileClass.Code"/>.</summary>
    public static FileClass ParseStored(string? name) => TryParse(name, out var value) ? value : FileClass.Code;

    /// <summary>Reads a class name or fails with a message listing the valid names.</summary>
    /// <exception cref="ArgumentException">Not a class name.</exception>
    public static FileClass Parse(string name) =>
        TryParse(name, out var value) ? value : throw new ArgumentException($"'{name}' is not a file class; use one of {string.Join(", ", Names)}.", nameof(name));
}
