namespace CodeGraphRag.Embeddings.Compilation;

/// <summary>A rewrite did not match the model's graph; the message names the node or value it stopped at.</summary>
public sealed class ModelCompilationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelCompilationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelCompilationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ModelCompilationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
