using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Parsing.Tests.Chunking;

/// <summary>A deterministic stand-in for a BERT tokenizer: each run of letters or digits is one token, each other visible character one token.</summary>
/// <param name="linesAddUp">What it reports as <see cref="ITokenCounter.CountsAddUpOverLines"/> (true of its counting).</param>
internal sealed class WordTokenCounter(bool linesAddUp = false) : ITokenCounter
{
    public int Calls { get; private set; }

    /// <summary>Characters passed to <see cref="CountTokens"/> so far.</summary>
    public long CharactersCounted { get; private set; }

    public bool CountsAddUpOverLines => linesAddUp;

    public int CountTokens(string text, int limit)
    {
        Calls++;
        CharactersCounted += text.Length;
        return Math.Min(Count(text), limit);
    }

    public static int Count(string text)
    {
        var tokens = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                if (!inWord)
                {
                    tokens++;
                }

                inWord = true;
                continue;
            }

            inWord = false;
            if (!char.IsWhiteSpace(c))
            {
                tokens++;
            }
        }

        return tokens;
    }
}
