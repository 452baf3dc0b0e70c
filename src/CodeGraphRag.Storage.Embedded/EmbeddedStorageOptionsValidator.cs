using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Embedded;

/// <summary>Validates <see cref="EmbeddedStorageOptions"/>, collecting every failure with the key to set.</summary>
internal sealed class EmbeddedStorageOptionsValidator : IValidateOptions<EmbeddedStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = Constants.ConfigurationSection;
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{prefix}:DataDirectory is required (a folder for the index; --data-dir or CGR_DATA_DIR).");
        }

        if (string.IsNullOrWhiteSpace(options.ModelId))
        {
            failures.Add($"{prefix}:ModelId is required (the embedding model id whose vectors are searched).");
        }

        if (options.Dimensions <= 0)
        {
            failures.Add($"{prefix}:Dimensions must be positive (was {options.Dimensions}).");
        }

        if (options.ExactSearchThreshold < 0)
        {
            failures.Add($"{prefix}:ExactSearchThreshold must be zero or positive (was {options.ExactSearchThreshold}).");
        }

        if (options.DenseCatchUpInterval < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:DenseCatchUpInterval must be zero (searches catch up) or positive (was {options.DenseCatchUpInterval}).");
        }

        if (options.FilteredExactSearchThreshold < 0)
        {
            failures.Add($"{prefix}:FilteredExactSearchThreshold must be zero (always the ANN index) or positive (was {options.FilteredExactSearchThreshold}).");
        }

        if (!Enum.IsDefined(options.AnnPrecision))
        {
            failures.Add($"{prefix}:AnnPrecision must be F32, F16 or I8 (was {options.AnnPrecision}).");
        }

        if (options.AnnConnectivity is < 2 or > 256)
        {
            failures.Add($"{prefix}:AnnConnectivity must be between 2 and 256 (was {options.AnnConnectivity}).");
        }

        if (options.AnnExpansionAdd is < 1 or > 4096)
        {
            failures.Add($"{prefix}:AnnExpansionAdd must be between 1 and 4096 (was {options.AnnExpansionAdd}).");
        }

        if (options.AnnExpansionSearch is < 1 or > 4096)
        {
            failures.Add($"{prefix}:AnnExpansionSearch must be between 1 and 4096 (was {options.AnnExpansionSearch}).");
        }

        if (options.LexicalPruneMinTerms < 0)
        {
            failures.Add($"{prefix}:LexicalPruneMinTerms must be zero (off) or positive (was {options.LexicalPruneMinTerms}).");
        }

        if (options.LexicalCommonTermShare is <= 0 or > 1 || double.IsNaN(options.LexicalCommonTermShare))
        {
            failures.Add($"{prefix}:LexicalCommonTermShare must be above 0 and at most 1 (was {options.LexicalCommonTermShare}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
