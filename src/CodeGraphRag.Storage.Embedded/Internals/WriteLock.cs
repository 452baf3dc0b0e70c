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
        catch (IOException ex) when (IsHeldByAnother(ex))
        {
            throw new DataDirectoryLockedException(dataDirectory, ReadOwner(ownerPath), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // CGR: a read-only or foreign-owned directory is not "locked by another writer": say what it is.
            throw new DataDirectoryAccessException(dataDirectory, lockPath, ex);
        }

        try
        {
            File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new DataDirectoryAccessException(dataDirectory, ownerPath, ex);
        }

        return new WriteLock(stream, ownerPath);
    }

    /// <summary>
    /// True when opening failed because another handle holds the lock: on Unix the flock's EWOULDBLOCK (errno 11, which .NET
    /// puts in HResult), on Windows a sharing or lock violation.
    /// </summary>
    private static bool IsHeldByAnother(IOException exception) =>
        OperatingSystem.IsWindows()
            ? (exception.HResult & 0xFFFF) is ErrorSharingViolation or ErrorLockViolation
            : exception.HResult == EWouldBlock;

    private const int EWouldBlock = 11;
    private const int ErrorSharingViolation = 32;
    private const int ErrorLockViolation = 33;

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
