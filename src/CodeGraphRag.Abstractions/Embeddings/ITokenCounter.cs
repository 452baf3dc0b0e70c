namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Counts model tokens, so chunkers can respect the model window.</summary>
public interface ITokenCounter
{
    /// <summary>Number of model tokens in <paramref name="text"/> (special tokens excluded), counting stops at <paramref name="limit"/>.</summary>
    int CountTokens(string text, int limit);
}
