using Microsoft.Extensions.Options;

namespace CodeGraphRag.Grains.Embedding;

/// <summary>Checks <see cref="EmbeddingCallOptions"/>; each failure names its configuration key.</summary>
internal sealed class EmbeddingCallOptionsValidator : IValidateOptions<EmbeddingCallOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Prefix = EmbeddingCallOptions.SectionName + ":";
        var failures = new List<string>();
        foreach (var (key, value) in new[]
        {
            (nameof(EmbeddingCallOptions.QueryTimeout), options.QueryTimeout),
            (nameof(EmbeddingCallOptions.DocumentTimeout), options.DocumentTimeout),
        })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                failures.Add($"{Prefix}{key} must be more than 0 and at most 01:00:00 (got {value}).");
            }
        }

        if (options.Attempts is < 1 or > 10)
        {
            failures.Add($"{Prefix}{nameof(EmbeddingCallOptions.Attempts)} must be between 1 and 10 (got {options.Attempts}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
