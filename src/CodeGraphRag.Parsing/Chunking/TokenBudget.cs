using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Counts tokens with the model's counter when one is registered, else estimates them from the character count.</summary>
internal sealed class TokenBudget(ITokenCounter? counter, int maxTokens, double charsPerToken)
{
    public int MaxTokens { get; } = maxTokens;

    public bool UsesCounter => counter is not null;

    /// <summary>True when a range's count is the sum of its lines' counts (see <see cref="ITokenCounter.CountsAddUpOverLines"/>).</summary>
    public bool LinesAddUp { get; } = counter?.CountsAddUpOverLines == true;

    /// <summary>Tokens in <paramref name="text"/>, counting at most one past the budget.</summary>
    public int Count(string text) => counter is null ? Estimate(text) : counter.CountTokens(text, MaxTokens + 1);

    /// <summary>As <see cref="Count(string)"/> for a slice (a line) of a larger text.</summary>
    public int Count(ReadOnlySpan<char> text) => counter is null ? Estimate(text) : counter.CountTokens(text, MaxTokens + 1);

    private int Estimate(ReadOnlySpan<char> text)
    {
        // CGR: leading indentation produces no tokens in BERT-style tokenizers; counting it would halve deeply nested chunks.
        var chars = 0;
        var atLineStart = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                atLineStart = true;
                continue;
            }

            if (atLineStart && (c == ' ' || c == '\t' || c == '\r'))
            {
                continue;
            }

            atLineStart = false;
            chars++;
        }

        return (int)Math.Ceiling(chars / charsPerToken);
    }
}
