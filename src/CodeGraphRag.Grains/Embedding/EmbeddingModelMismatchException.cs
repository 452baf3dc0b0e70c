namespace CodeGraphRag.Grains.Embedding;

/// <summary>
/// Two silos of one cluster run different embedding models (model, window or precision): their vectors live in different
/// spaces, so a call that would mix them is refused instead of storing or searching vectors of the wrong model.
/// </summary>
[GenerateSerializer]
[Alias("cgr.EmbeddingModelMismatchException")]
public sealed class EmbeddingModelMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingModelMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbeddingModelMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EmbeddingModelMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refusal for a caller that expects <paramref name="expected"/> from an embedder running <paramref name="actual"/>.</summary>
    public static EmbeddingModelMismatchException Between(string expected, string actual) => new(
        $"embedding model mismatch: this silo's index holds vectors of '{expected}' but an embedder silo runs '{actual}'; " +
        "every silo of a cluster must have the same CodeGraphRag:Embedding model, MaxTokens and precision");
}
