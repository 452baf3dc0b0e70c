using CodeGraphRag.Storage.Redis.Internals;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Redis;

/// <summary>Validates <see cref="RedisOptions"/>, collecting every failure with the key to set; never echoes a password.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = Constants.ConfigurationSection;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{prefix}:ConnectionString is required (a StackExchange.Redis connection string, e.g. localhost:6379).");
        }
        else if (!RedisConnectionText.TryParse(options.ConnectionString, out var parsed))
        {
            failures.Add($"{prefix}:ConnectionString is not a StackExchange.Redis connection string (host:port followed by ,key=value options).");
        }
        else if (parsed.EndPoints.Count == 0)
        {
            failures.Add($"{prefix}:ConnectionString names no endpoint (was '{parsed.ToString(includePassword: false)}'; e.g. redis:6379,password=...).");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{prefix}:KeyPrefix must not be empty (it keeps the keys of deployments sharing one Redis apart; default cgr).");
        }

        if (options.EmbeddingTimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:EmbeddingTimeToLive must be positive, or unset to keep entries until Redis evicts them (was {ttl}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
