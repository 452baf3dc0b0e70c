namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// Thrown when a writer cannot create or write its data directory: a read-only file system, missing permissions, or a
/// path component that is not a folder. Unlike <see cref="DataDirectoryLockedException"/>, no other writer is involved.
/// </summary>
[GenerateSerializer, Alias("cgr.DataDirectoryAccessException")]
public sealed class DataDirectoryAccessException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataDirectoryAccessException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DataDirectoryAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DataDirectoryAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the one-line error for <paramref name="path"/> (in data directory <paramref name="dataDirectory"/>) failing with <paramref name="innerException"/>.</summary>
    public DataDirectoryAccessException(string dataDirectory, string path, Exception innerException)
        : base(FormatMessage(dataDirectory, path, innerException), innerException)
    {
        DataDirectory = dataDirectory;
        Path = path;
    }

    /// <summary>The data directory that could not be written.</summary>
    [Id(0)]
    public string? DataDirectory { get; init; }

    /// <summary>The file or folder whose creation or opening failed.</summary>
    [Id(1)]
    public string? Path { get; init; }

    /// <summary>The cause in a few words: access denied, read-only file system, or the system's own message.</summary>
    public static string Cause(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "access denied",
        IOException { HResult: ReadOnlyFileSystemErrno } => "read-only file system",
        IOException { HResult: NoSpaceErrno } => "no space left on the device",
        _ => exception.Message.TrimEnd('.'),
    };

    private const int ReadOnlyFileSystemErrno = 30;
    private const int NoSpaceErrno = 28;

    private static string FormatMessage(string dataDirectory, string path, Exception cause) =>
        $"cannot write the data directory '{dataDirectory}' ({Cause(cause)}: '{path}'); make it writable or choose another with --data-dir or CGR_DATA_DIR";
}
