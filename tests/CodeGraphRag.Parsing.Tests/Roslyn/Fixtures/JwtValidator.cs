// Fixture for RoslynExtractorTests: line numbers are asserted, edit with care.
global using System.Linq;
using System.Text;
using static System.Math;
using Json = System.Text.Json.JsonSerializer;

namespace Acme.Auth;

/// <summary>The outcome of validating one token.</summary>
public sealed record ValidationResult(bool IsValid, string? Subject, IReadOnlyList<string> Errors)
{
    public static ValidationResult Failed(params string[] errors) => new(false, null, errors);
}

public interface ITokenValidator
{
    ValidationResult Validate(string token);

    ValidationResult Validate(string token, DateTimeOffset now);
}

public abstract class ValidatorBase<TOptions>(TOptions options)
    where TOptions : class
{
    protected TOptions Options { get; } = options;
}

/// <summary>Validates compact JWTs without a network call.</summary>
[Serializable]
public sealed class JwtValidator : ValidatorBase<JwtOptions>, ITokenValidator
{
    private const int MaxTokenLength = 8192;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, int> _failures = CreateCounters(), _spare = new();

    public JwtValidator(JwtOptions options, TimeProvider clock)
        : base(options)
    {
        _clock = clock;
    }

    public event EventHandler<string>? Rejected;

    public int FailureCount
    {
        get { return _failures.Values.Sum(); }
    }

    public string Issuer { get; init; } = "acme";

    public ValidationResult Validate(string token) => Validate(token, _clock.GetUtcNow());

    [Obsolete("Pass the time through the clock.")]
    public ValidationResult Validate(string token, DateTimeOffset now)
    {
        if (token.Length > MaxTokenLength)
        {
            return ValidationResult.Failed("token too long");
        }

        var parts = Split(token);
        var payload = Json.Deserialize<Payload>(Decode(parts[Min(1, parts.Length - 1)]));
        if (payload is null || payload.ExpiresAt < now)
        {
            Record("expired");
            return ValidationResult.Failed("expired");
        }

        var log = new StringBuilder().Append(payload.Subject);
        Rejected?.Invoke(this, log.ToString());
        return new ValidationResult(true, payload.Subject, []);

        static string[] Split(string value) => value.Split('.');
    }

    private static Dictionary<string, int> CreateCounters() => new System.Collections.Generic.Dictionary<string, int>(StringComparer.Ordinal);

    private static string Decode(string segment) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(segment));

    private void Record(string reason)
    {
        _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
    }
}

public sealed record JwtOptions(string Audience);

internal sealed record Payload(string Subject, DateTimeOffset ExpiresAt);

public enum TokenKind
{
    Access,
    Refresh,
}
