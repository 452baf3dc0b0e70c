namespace CodeGraphRag.Grains.Indexing;

/// <summary>No embedder silo answered within the configured wait.</summary>
[GenerateSerializer]
[Alias("cgr.EmbedderUnavailableException")]
public sealed class EmbedderUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbedderUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbedderUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EmbedderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
