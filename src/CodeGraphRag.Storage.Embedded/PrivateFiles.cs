namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// Creates what holds indexed code and queries readable by its owner only (folders 0700, files 0600 on Unix). Existing
/// folders and files keep the modes they have. SQLite gives its WAL and shared-memory files the database file's mode.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Owner read and write only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents) as 0700 when it does not exist.</summary>
    public static void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>Creates an empty file as 0600 when none exists (an empty file is a valid new SQLite database).</summary>
    public static void CreateEmptyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using var stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // CGR: another process created it first; its mode is that process's choice.
        }
    }
}
