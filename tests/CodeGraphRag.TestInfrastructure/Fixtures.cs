namespace CodeGraphRag.TestInfrastructure;

/// <summary>Locates checked-in fixtures (tests/fixtures) from a test's output directory.</summary>
public static class Fixtures
{
    /// <summary>The repository root (the folder holding CodeGraphRag.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Absolute path of <c>tests/fixtures/&lt;name&gt;</c>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(RepositoryRoot, "tests", "fixtures", name);

    /// <summary>Copies a fixture tree into <paramref name="destination"/> (created if needed) and returns it.</summary>
    public static string CopyTo(string name, string destination)
    {
        var source = Path(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(destination, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return destination;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CodeGraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CodeGraphRag.sln not found above {AppContext.BaseDirectory}");
    }
}
