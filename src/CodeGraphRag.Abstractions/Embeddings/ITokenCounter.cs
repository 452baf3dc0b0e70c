namespace CodeGraphRag.Abstractions.Embeddings;

/// <summary>Counts model tokens, so chunkers can respect the model window.</summary>
public interface ITokenCounter
{
    /// <summary>Number of model tokens in <paramref name="text"/> (special tokens excluded), counting stops at <paramref name="limit"/>.</summary>
    int CountTokens(string text, int limit);

    /// <summary>As <see cref="CountTokens(string, int)"/> for a slice of a larger text (a line of a file), without copying it where the counter can.</summary>
    int CountTokens(ReadOnlySpan<char> text, int limit) => CountTokens(text.ToString(), limit);

    /// <summary>
    /// True when the count of lines joined with <c>\n</c> always equals the sum of the lines' counts (no token spans a line
    /// break, as with WordPiece), so a chunker may add up cached per-line counts instead of counting the joined text.
    /// </summary>
    bool CountsAddUpOverLines => false;
}
