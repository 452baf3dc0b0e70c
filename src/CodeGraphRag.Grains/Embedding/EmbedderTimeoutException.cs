namespace CodeGraphRag.Grains.Embedding;

/// <summary>The embedding grain did not answer within <see cref="EmbeddingCallOptions"/>' timeout on any attempt.</summary>
[GenerateSerializer]
[Alias("cgr.EmbedderTimeoutException")]
public sealed class EmbedderTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public EmbedderTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbedderTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EmbedderTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
