namespace CodeGraphRag.Hosting;

/// <summary>Where the embedded stores live.</summary>
public static class DataDirectory
{
    /// <summary>Environment variable that overrides the default data directory.</summary>
    public const string EnvironmentVariable = "CGR_DATA_DIR";

    /// <summary>
    /// The data directory: <paramref name="explicitPath"/> (<c>--data-dir</c>), else <c>CGR_DATA_DIR</c>, else
    /// <c>codegraphrag</c> under the user's data folder (<c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux).
    /// </summary>
    public static string Resolve(string? explicitPath)
    {
        var chosen = explicitPath;
        if (string.IsNullOrWhiteSpace(chosen))
        {
            chosen = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        if (string.IsNullOrWhiteSpace(chosen))
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            chosen = Path.Combine(root, "codegraphrag");
        }

        return Path.GetFullPath(chosen);
    }
}
