using Microsoft.Extensions.Options;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>Checks <see cref="SearchOptions"/>; each failure names its configuration key.</summary>
public sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Prefix = SearchOptions.SectionName + ":";
        if (options.CandidatePool is < 1 or > 10_000)
        {
            failures.Add($"{Prefix}{nameof(SearchOptions.CandidatePool)} must be between 1 and 10000 (got {options.CandidatePool}).");
        }

        if (options.RrfK < 0)
        {
            failures.Add($"{Prefix}{nameof(SearchOptions.RrfK)} must be >= 0 (got {options.RrfK}).");
        }

        if (options.MaxNeighborsPerRelation < 0)
        {
            failures.Add($"{Prefix}{nameof(SearchOptions.MaxNeighborsPerRelation)} must be >= 0 (got {options.MaxNeighborsPerRelation}).");
        }

        foreach (var (key, weight) in new[]
        {
            (nameof(SearchOptions.DenseWeight), options.DenseWeight), (nameof(SearchOptions.LexicalWeight), options.LexicalWeight),
            (nameof(SearchOptions.LongQueryDenseWeight), options.LongQueryDenseWeight), (nameof(SearchOptions.LongQueryLexicalWeight), options.LongQueryLexicalWeight),
            (nameof(SearchOptions.MentionWeight), options.MentionWeight), (nameof(SearchOptions.SymbolMentionWeight), options.SymbolMentionWeight),
            (nameof(SearchOptions.FileLexicalWeight), options.FileLexicalWeight),
        })
        {
            if (!(weight is >= 0 and <= 100))
            {
                failures.Add($"{Prefix}{key} must be between 0 and 100 (got {weight}).");
            }
        }

        if (!(options.FileChunkDecay is >= 0 and <= 1))
        {
            failures.Add($"{Prefix}{nameof(SearchOptions.FileChunkDecay)} must be between 0 and 1 (got {options.FileChunkDecay}).");
        }

        if (!(options.MentionDecay is >= 0 and <= 1))
        {
            failures.Add($"{Prefix}{nameof(SearchOptions.MentionDecay)} must be between 0 and 1 (got {options.MentionDecay}).");
        }

        foreach (var (key, value) in new[]
        {
            (nameof(SearchOptions.MaxMentionedPaths), options.MaxMentionedPaths), (nameof(SearchOptions.MaxFilesPerMention), options.MaxFilesPerMention),
            (nameof(SearchOptions.MaxChunksPerMentionedFile), options.MaxChunksPerMentionedFile),
            (nameof(SearchOptions.MaxSymbolMentions), options.MaxSymbolMentions), (nameof(SearchOptions.MaxFilesPerSymbol), options.MaxFilesPerSymbol),
            (nameof(SearchOptions.ChunksPerFile), options.ChunksPerFile),
        })
        {
            if (value is < 0 or > 100)
            {
                failures.Add($"{Prefix}{key} must be between 0 and 100 (got {value}).");
            }
        }

        failures.AddRange(options.ClassPriors.Validate().Select(e => $"{Prefix}{nameof(SearchOptions.ClassPriors)}:{e}"));
        failures.AddRange(options.Graph.Validate().Select(e => $"{Prefix}{nameof(SearchOptions.Graph)}:{e}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
