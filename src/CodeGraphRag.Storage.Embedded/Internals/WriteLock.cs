using System.Globalization;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>The exclusive writer lock of a data directory: <c>write.lock</c> held open with <see cref="FileShare.None"/> (flock on Unix).</summary>
/// <remarks>The owner's pid goes to a side file because the locked file itself cannot be opened by others to read it.</remarks>
internal sealed class WriteLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _ownerPath;

    private WriteLock(FileStream stream, string ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    public static WriteLock Acquire(string dataDirectory)
    {
        var lockPath = Path.Combine(dataDirectory, Constants.WriteLockFileName);
        var ownerPath = lockPath + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new DataDirectoryLockedException(dataDirectory, ReadOwner(ownerPath), ex);
        }

        File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new WriteLock(stream, ownerPath);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (IOException)
        {
            // CGR: the owner file is informational; the lock is what counts.
        }

        _stream.Dispose();
    }

    private static int? ReadOwner(string ownerPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ownerPath).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
