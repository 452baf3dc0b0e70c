using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Milvus;

/// <summary>Validates <see cref="MilvusOptions"/>, collecting every failure with the key to set.</summary>
internal sealed partial class MilvusOptionsValidator : IValidateOptions<MilvusOptions>
{
    private static readonly string[] s_consistencyLevels = ["Strong", "Session", "Bounded", "Eventually"];

    public ValidateOptionsResult Validate(string? name, MilvusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = Constants.ConfigurationSection;
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{prefix}:Url must be an absolute http(s) URL of the Milvus proxy, e.g. http://milvus:19530 (was '{options.Url}').");
        }

        if (string.IsNullOrWhiteSpace(options.Collection) || options.Collection.Length > 255 || !CollectionName().IsMatch(options.Collection))
        {
            failures.Add($"{prefix}:Collection must be 1 to 255 letters, digits or '_' and start with a letter or '_' (was '{options.Collection}').");
        }

        if (!string.IsNullOrEmpty(options.Database) && !CollectionName().IsMatch(options.Database))
        {
            failures.Add($"{prefix}:Database must be letters, digits or '_' and start with a letter or '_' (was '{options.Database}').");
        }

        if (options.Shards is < 1 or > 16)
        {
            failures.Add($"{prefix}:Shards must be between 1 and 16 (was {options.Shards}).");
        }

        if (options.Dimensions is < 1 or > 32_768)
        {
            failures.Add($"{prefix}:Dimensions must be between 1 and 32768 (was {options.Dimensions}).");
        }

        if (string.IsNullOrWhiteSpace(options.ModelId))
        {
            failures.Add($"{prefix}:ModelId is required (the embedding model id whose vectors the collection holds).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}:RequestTimeout must be positive and at most one hour (was {options.RequestTimeout}).");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"{prefix}:MaxRetries must be between 0 and 20 (was {options.MaxRetries}).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}:RetryBaseDelay must be between 0 and 1 minute (was {options.RetryBaseDelay}).");
        }

        if (options.IndexType is not ("HNSW" or "AUTOINDEX"))
        {
            failures.Add($"{prefix}:IndexType must be HNSW or AUTOINDEX (was '{options.IndexType}').");
        }

        if (options.HnswM is < 2 or > 2048)
        {
            failures.Add($"{prefix}:HnswM must be between 2 and 2048 (was {options.HnswM}).");
        }

        if (options.HnswEfConstruction is < 1 or > 65_536)
        {
            failures.Add($"{prefix}:HnswEfConstruction must be between 1 and 65536 (was {options.HnswEfConstruction}).");
        }

        if (options.SearchEf is < 1 or > Constants.MaxTopK * 2)
        {
            failures.Add($"{prefix}:SearchEf must be between 1 and {Constants.MaxTopK * 2} (was {options.SearchEf}).");
        }

        if (!s_consistencyLevels.Contains(options.ConsistencyLevel, StringComparer.Ordinal))
        {
            failures.Add($"{prefix}:ConsistencyLevel must be one of {string.Join(", ", s_consistencyLevels)} (case-sensitive; was '{options.ConsistencyLevel}').");
        }

        if (options.MaxBatchRows is < 1 or > 100_000)
        {
            failures.Add($"{prefix}:MaxBatchRows must be between 1 and 100000 (was {options.MaxBatchRows}).");
        }

        if (options.MaxRequestBytes is < 64 * 1024 or > 60 * 1024 * 1024)
        {
            failures.Add($"{prefix}:MaxRequestBytes must be between 65536 and 62914560, under Milvus' 64 MiB request limit (was {options.MaxRequestBytes}).");
        }

        if (options.LoadTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:LoadTimeout must be positive (was {options.LoadTimeout}).");
        }

        if (options.LoadPollInterval < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:LoadPollInterval must not be negative (was {options.LoadPollInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CollectionName();
}
