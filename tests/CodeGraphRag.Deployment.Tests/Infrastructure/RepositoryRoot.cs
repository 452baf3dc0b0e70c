namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>The checkout under test: the first folder above the test binaries that holds CodeGraphRag.sln.</summary>
internal static class RepositoryRoot
{
    public static string Directory { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CodeGraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CodeGraphRag.sln was not found in any folder above {AppContext.BaseDirectory}.");
    }
}
