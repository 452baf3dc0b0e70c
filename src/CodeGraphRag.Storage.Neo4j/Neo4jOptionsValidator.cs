using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Neo4j;

/// <summary>Validates <see cref="Neo4jOptions"/>, collecting every failure with the key to set.</summary>
internal sealed class Neo4jOptionsValidator : IValidateOptions<Neo4jOptions>
{
    public ValidateOptionsResult Validate(string? name, Neo4jOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = Constants.ConfigurationSection;
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{prefix}:Url must be an absolute http(s) URL such as http://neo4j:7474 (was '{Redact(options.Url)}').");
        }
        else if (url.UserInfo.Length > 0)
        {
            failures.Add($"{prefix}:Url must not carry credentials; set {prefix}:User and {prefix}:Password instead.");
        }

        if (string.IsNullOrWhiteSpace(options.Database) || options.Database.Any(c => c is '/' or '?' or '#' || char.IsWhiteSpace(c)))
        {
            failures.Add($"{prefix}:Database must be a database name such as neo4j (was '{options.Database}').");
        }

        if (options.User.Length == 0 && options.Password.Length > 0)
        {
            failures.Add($"{prefix}:User is required when {prefix}:Password is set.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}:RequestTimeout must be between 0 and 1 hour (was {options.RequestTimeout}).");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"{prefix}:BatchSize must be between 1 and 100000 (was {options.BatchSize}).");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"{prefix}:MaxRetries must be between 0 and 20 (was {options.MaxRetries}).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}:RetryBaseDelay must be between 0 and 1 minute (was {options.RetryBaseDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An unparsable URL may still hold a password after the scheme; show only up to the first '@'-free part.</summary>
    private static string Redact(string? url) => url is null ? string.Empty : url.Contains('@', StringComparison.Ordinal) ? "(redacted)" : url;
}
