using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Parsing.Tests.Chunking;

/// <summary>A deterministic stand-in for a BERT tokenizer: each run of letters or digits is one token, each other visible character one token.</summary>
internal sealed class WordTokenCounter : ITokenCounter
{
    public int Calls { get; private set; }

    public int CountTokens(string text, int limit)
    {
        Calls++;
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
