namespace CodeGraphRag.Embeddings;

/// <summary>An embedding model could not be loaded, configured or run.</summary>
public sealed class EmbeddingException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public EmbeddingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public EmbeddingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
