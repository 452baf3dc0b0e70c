using System.Buffers;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Environment-style assignments whose names the generic rule does not take: <c>*_PASS</c>, <c>*_KEY</c>, Dockerfile <c>ENV NAME value</c>.</summary>
public sealed partial class SecretRedactor
{
    /// <summary>A value of a <c>*_KEY</c> name must be at least this long: shorter ones are cache keys, sort keys, key names.</summary>
    private const int EnvironmentKeyMinLength = 16;

    private static readonly SearchValues<string> EnvironmentSearch = SearchValues.Create(["pass", "_key", "ENV"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Qualifiers of <c>*_KEY</c> names that are not secrets: public keys, fingerprints, cache and database keys.</summary>
    private static readonly HashSet<string> NonSecretKeyQualifiers = new(StringComparer.Ordinal)
    {
        "GPG", "PGP", "PUBLIC", "PUB", "PUBLISHABLE", "CACHE", "SORT", "PARTITION", "PRIMARY", "FOREIGN", "ROUTING", "SHARD", "LOOKUP",
    };

    private enum EnvironmentName
    {
        None,
        Password,
        Token,
        Key,
    }

    /// <summary>
    /// Per line with a trigger: <c>export DB_PASS='...'</c>, dotenv <c>REDIS_PASS=...</c>, Dockerfile <c>ENV ADMIN_PASS=...</c>
    /// and <c>ENV SERVICE_TOKEN value</c>, compose <c>SMTP_PASS: ...</c>, PowerShell <c>$env:DB_PASS = "..."</c>, and upper-case
    /// <c>*_KEY</c> names (<c>MAILGUN_KEY</c>, <c>SENDGRID_KEY</c>). In shell, dotenv and Dockerfiles a bare value is a literal; in
    /// code (<c>name = value</c>) only a quoted one is, and <c>*_KEY</c> names count only in the shell forms.
    /// </summary>
    private void FindEnvironmentAssignments(string text, List<Finding> findings)
    {
        var searchFrom = 0;
        while (TryNextTriggerLine(text, EnvironmentSearch, searchFrom, out var lineStart, out var lineEnd))
        {
            searchFrom = lineEnd + 1;
            var length = Math.Min(lineEnd - lineStart, WindowAfter);
            var m = SecretPatterns.EnvironmentAssignment().Match(text, lineStart, length);
            if (m.Success)
            {
                var name = m.Groups["name"].Value;
                var colon = !m.Groups["tight"].Success && !m.Value.Contains('=', StringComparison.Ordinal);
                var literal = m.Groups["kw"].Success || m.Groups["tight"].Success || (colon && IsUpperSnake(name));
                var kind = ClassifyEnvironmentName(name);
                if (kind == EnvironmentName.Key && !literal)
                {
                    // In code, UPPER_SNAKE *_KEY constants name dictionary and config keys (EMRFS_SSE_KEY = 'fs.s3...').
                    continue;
                }

                AcceptEnvironmentValue(text, m.Groups["v"], kind, literal, findings);
                continue;
            }

            m = SecretPatterns.DockerfileEnvSpaced().Match(text, lineStart, length);
            if (m.Success)
            {
                var name = m.Groups["name"].Value;
                var kind = SecretHeuristics.Classify(name) switch
                {
                    SecretHeuristics.NameFamily.Password => EnvironmentName.Password,
                    SecretHeuristics.NameFamily.Token => EnvironmentName.Token,
                    _ => ClassifyEnvironmentName(name),
                };
                AcceptEnvironmentValue(text, m.Groups["v"], kind, literal: true, findings);
            }
        }
    }

    private void AcceptEnvironmentValue(string text, Group value, EnvironmentName kind, bool literal, List<Finding> findings)
    {
        if (kind == EnvironmentName.None)
        {
            return;
        }

        var (start, length) = Unquoted(text, value.Index, value.Length);
        var quoted = literal || length != value.Length;
        var secret = text.Substring(start, length);
        if (length == 0 || UrlPlaceholders.Contains(secret) || IsReference(secret) || IsFingerprint(secret))
        {
            return;
        }

        var accepted = kind switch
        {
            EnvironmentName.Password => SecretHeuristics.IsSecretValue(secret, SecretHeuristics.NameFamily.Password, quoted, _options),
            EnvironmentName.Key => secret.Length >= EnvironmentKeyMinLength && SecretHeuristics.IsSecretValue(secret, SecretHeuristics.NameFamily.Token, quoted, _options),
            _ => SecretHeuristics.IsSecretValue(secret, SecretHeuristics.NameFamily.Token, quoted, _options),
        };
        if (accepted)
        {
            findings.Add(new Finding(start, length, SecretRuleIds.GenericSecret, 3));
        }
    }

    /// <summary>
    /// Names the generic rule leaves alone: a <c>PASS</c> segment (<c>DB_PASS</c>, <c>RABBITMQ_DEFAULT_PASS</c>; not BYPASS or
    /// PASSENGER), or an upper-case name whose last segment is <c>KEY</c>; never one that ends in a describing word (_FILE, _URL,
    /// _NAME, _ID, ...).
    /// </summary>
    private static EnvironmentName ClassifyEnvironmentName(string name)
    {
        if (SecretHeuristics.Classify(name) != SecretHeuristics.NameFamily.None)
        {
            return EnvironmentName.None;
        }

        var segments = name.Split('_', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || SecretHeuristics.IsDescriptiveSuffix(segments[^1].ToLowerInvariant()))
        {
            return EnvironmentName.None;
        }

        if (segments.Any(s => s.Equals("pass", StringComparison.OrdinalIgnoreCase)))
        {
            return EnvironmentName.Password;
        }

        return segments.Length >= 2 && segments[^1] == "KEY" && IsUpperSnake(name) && !segments.Any(NonSecretKeyQualifiers.Contains)
            ? EnvironmentName.Key
            : EnvironmentName.None;
    }

    private static bool IsUpperSnake(string name) => name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>A 40-digit upper-case hex string is an OpenPGP key fingerprint (Dockerfiles pin release keys by it).</summary>
    private static bool IsFingerprint(string value) =>
        value.Length == 40 && value.All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F');
}
