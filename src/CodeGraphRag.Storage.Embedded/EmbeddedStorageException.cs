namespace CodeGraphRag.Storage.Embedded;

/// <summary>A failure of the embedded store, carrying the operation that failed; the backend error is the inner exception.</summary>
[GenerateSerializer, Alias("cgr.EmbeddedStorageException")]
public sealed class EmbeddedStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddedStorageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbeddedStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EmbeddedStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="operation"/>.</summary>
    public EmbeddedStorageException(string operation, string message, Exception? innerException)
        : base($"Embedded storage {operation} failed: {message}", innerException)
    {
        Operation = operation;
    }

    /// <summary>The store operation that failed, e.g. <c>ApplyFile</c>.</summary>
    [Id(0)]
    public string? Operation { get; init; }
}
