using Microsoft.Extensions.Options;

namespace CodeGraphRag.Parsing.Chunking;

/// <summary>Rejects chunking options that cannot produce sensible chunks, naming every key to fix.</summary>
internal sealed class ChunkingOptionsValidator : IValidateOptions<ChunkingOptions>
{
    public ValidateOptionsResult Validate(string? name, ChunkingOptions options)
    {
        var failures = new List<string>();
        const string Section = ChunkingOptions.SectionName;
        if (options.MaxTokens < 16)
        {
            failures.Add($"{Section}:{nameof(ChunkingOptions.MaxTokens)} must be at least 16 (was {options.MaxTokens}).");
        }

        if (options.WindowLines < 2)
        {
            failures.Add($"{Section}:{nameof(ChunkingOptions.WindowLines)} must be at least 2 (was {options.WindowLines}).");
        }

        if (options.OverlapLines < 0 || options.OverlapLines >= options.WindowLines)
        {
            failures.Add($"{Section}:{nameof(ChunkingOptions.OverlapLines)} must be between 0 and {nameof(ChunkingOptions.WindowLines)} - 1 (was {options.OverlapLines}).");
        }

        if (!(options.CharsPerToken > 0.5 && options.CharsPerToken < 100))
        {
            failures.Add($"{Section}:{nameof(ChunkingOptions.CharsPerToken)} must be between 0.5 and 100 (was {options.CharsPerToken}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
