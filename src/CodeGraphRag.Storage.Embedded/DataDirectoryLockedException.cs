namespace CodeGraphRag.Storage.Embedded;

/// <summary>Thrown when a second writer opens a data directory that another writer holds.</summary>
[GenerateSerializer, Alias("cgr.DataDirectoryLockedException")]
public sealed class DataDirectoryLockedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataDirectoryLockedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DataDirectoryLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DataDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the one-line error for <paramref name="dataDirectory"/> held by process <paramref name="ownerProcessId"/>.</summary>
    public DataDirectoryLockedException(string dataDirectory, int? ownerProcessId, Exception? innerException)
        : base(FormatMessage(dataDirectory, ownerProcessId), innerException)
    {
        DataDirectory = dataDirectory;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The locked data directory.</summary>
    [Id(0)]
    public string? DataDirectory { get; init; }

    /// <summary>The process id of the writer holding the lock, when known.</summary>
    [Id(1)]
    public int? OwnerProcessId { get; init; }

    private static string FormatMessage(string dataDirectory, int? ownerProcessId) =>
        ownerProcessId is { } pid
            ? $"Data directory '{dataDirectory}' is locked by another writer (pid {pid}); wait for it to finish or use another --data-dir."
            : $"Data directory '{dataDirectory}' is locked by another writer; wait for it to finish or use another --data-dir.";
}
