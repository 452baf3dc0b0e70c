namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Judges names and values for the generic rule, and randomness for the provider rules.</summary>
internal static class SecretHeuristics
{
    private static readonly string[] PasswordKeywords = ["password", "passwd", "passphrase", "pwd", "secret", "privatekey", "credential"];

    private static readonly string[] TokenKeywords = ["token", "apikey", "accesskey", "auth", "bearer", "signingkey", "encryptionkey", "masterkey"];

    /// <summary>Name endings that describe something about a secret rather than hold one (token_url, password_field, secret_name).</summary>
    private static readonly string[] NameSuffixes =
    [
        "url", "uri", "urls", "endpoint", "path", "file", "filename", "dir", "directory", "name", "names", "type", "types", "length", "len",
        "size", "count", "field", "fields", "label", "prompt", "placeholder", "header", "env", "envvar", "var", "variable", "hint", "policy",
        "pattern", "regex", "format", "mode", "method", "scheme", "provider", "strategy", "backend", "enabled", "required", "version",
        "level", "scope", "scopes", "timeout", "ttl", "expiry", "expires", "expiration", "lifetime", "id", "ids", "hash", "digest", "limit",
        "min", "max", "prefix", "suffix", "param", "parameter", "location", "source", "store", "service", "class", "kind", "message", "msg",
        "error", "text", "title", "description", "help", "key", "spec", "time", "date", "used", "at",
    ];

    private static readonly HashSet<string> PlaceholderValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "key", "changeme", "changeit",
        "null", "nil", "none", "undefined", "true", "false", "redacted", "required", "optional", "string", "str", "bytes", "int",
        "default", "empty", "value", "todo", "tbd", "fixme", "12345678", "123456",
    };

    private static readonly string[] PlaceholderFragments =
    [
        "example", "sample", "dummy", "placeholder", "changeme", "change_me", "change-me", "your_", "your-", "yourtoken", "yourkey",
        "yourpassword", "xxxx", "****", "....", "fake", "mock", "test", "redacted", "replace", "insert", "notreal", "not_real",
        "not-real", "goes_here", "goes-here", "dev-only", "...", "password", "secret",
    ];

    private static readonly string[] ReferenceFragments =
    [
        "${", "{{", "}}", "#{", "%(", "%s", "{0}", "process.env", "os.environ", "getenv", "env[", "env.", "secrets.", "vault:", "<", ">",
        "[redacted:",
    ];

    public enum NameFamily
    {
        None,
        Password,
        Token,
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        Span<int> ascii = stackalloc int[128];
        Dictionary<char, int>? other = null;
        foreach (var c in value)
        {
            if (c < 128)
            {
                ascii[c]++;
            }
            else
            {
                other ??= [];
                other[c] = other.GetValueOrDefault(c) + 1;
            }
        }

        double entropy = 0;
        double length = value.Length;
        foreach (var count in ascii)
        {
            if (count > 0)
            {
                var p = count / length;
                entropy -= p * Math.Log2(p);
            }
        }

        if (other is not null)
        {
            foreach (var count in other.Values)
            {
                var p = count / length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    /// <summary>For provider rules: a value of the provider's format that is not an obvious placeholder (runs of x or 0, "EXAMPLE").</summary>
    public static bool LooksRandom(ReadOnlySpan<char> body, double minEntropy = 3.0) =>
        Entropy(body) >= minEntropy
        && !body.Contains("EXAMPLE", StringComparison.OrdinalIgnoreCase)
        && !body.Contains("XXXXXX", StringComparison.OrdinalIgnoreCase)
        && !body.Contains("000000", StringComparison.Ordinal);

    /// <summary>
    /// The shape of an AWS secret access key once context says it may be one: 40 random base64 characters with upper case,
    /// lower case and digits (a hex digest or a word-like path lacks one of them), not a placeholder.
    /// </summary>
    public static bool LooksLikeAwsSecret(ReadOnlySpan<char> value)
    {
        bool upper = false, lower = false, digit = false;
        foreach (var c in value)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        return value.Length == 40 && upper && lower && digit && LooksRandom(value, 4.0);
    }

    /// <summary>Whether a name segment (lower case) says the name describes a secret rather than holds one: file, path, url, name, id, ttl, ...</summary>
    public static bool IsDescriptiveSuffix(string segment) =>
        segment != "key" && Array.IndexOf(NameSuffixes, segment) >= 0;

    /// <summary>Whether the name ends with a secret word (API_TOKEN, X-Api-Key, password), as a key passed to a setter must.</summary>
    public static bool EndsWithKeyword(string name)
    {
        var normalized = new string(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        foreach (var keyword in (ReadOnlySpan<string>)["password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey", "credential", "credentials", "auth", "authorization", "secretkey"])
        {
            if (normalized.EndsWith(keyword, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static NameFamily Classify(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        ReadOnlySpan<char> normalized = buffer[..length];
        foreach (var suffix in NameSuffixes)
        {
            // "secretkey" and "apikey" end with "key" but are the secret itself.
            if (normalized.EndsWith(suffix, StringComparison.Ordinal)
                && !(suffix == "key" && (normalized.EndsWith("secretkey", StringComparison.Ordinal) || normalized.EndsWith("privatekey", StringComparison.Ordinal)
                    || normalized.EndsWith("apikey", StringComparison.Ordinal) || normalized.EndsWith("accesskey", StringComparison.Ordinal)
                    || normalized.EndsWith("signingkey", StringComparison.Ordinal) || normalized.EndsWith("encryptionkey", StringComparison.Ordinal)
                    || normalized.EndsWith("masterkey", StringComparison.Ordinal) || normalized.EndsWith("authkey", StringComparison.Ordinal))))
            {
                return NameFamily.None;
            }
        }

        if (normalized.Contains("tokeniz", StringComparison.Ordinal))
        {
            return NameFamily.None;
        }

        foreach (var keyword in PasswordKeywords)
        {
            if (normalized.Contains(keyword, StringComparison.Ordinal))
            {
                return NameFamily.Password;
            }
        }

        foreach (var keyword in TokenKeywords)
        {
            var at = normalized.IndexOf(keyword, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            // "author", "authority", "authorizer", "authenticated" are not credentials; "authorization" is.
            if (keyword == "auth")
            {
                var rest = normalized[(at + 4)..];
                if ((rest.StartsWith("or", StringComparison.Ordinal) && !rest.StartsWith("orization", StringComparison.Ordinal))
                    || rest.StartsWith("entic", StringComparison.Ordinal))
                {
                    continue;
                }
            }

            return NameFamily.Token;
        }

        return NameFamily.None;
    }

    /// <summary>Whether <paramref name="value"/>, assigned to a name of <paramref name="family"/>, is a secret worth redacting.</summary>
    public static bool IsSecretValue(string value, NameFamily family, bool quoted, SecretRedactorOptions options)
    {
        if (family == NameFamily.None || value.Length == 0 || PlaceholderValues.Contains(value))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '[' or ']' or '{' or '}' or '\\')
            {
                return false;
            }
        }

        if (value[0] is '$' or '%' or '!' or '*' or '&' or '|' or '#' or ':' or '=' || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("arn:", StringComparison.Ordinal) || value.StartsWith("urn:", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var fragment in ReferenceFragments)
        {
            if (value.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        foreach (var fragment in PlaceholderFragments)
        {
            if (value.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal)
            || value.StartsWith("../", StringComparison.Ordinal) || value.StartsWith("~/", StringComparison.Ordinal)
            || (value.Length > 2 && value[1] == ':' && value[2] == '\\')
            || SecretPatterns.LowercasePath().IsMatch(value) || SecretPatterns.FileExtension().IsMatch(value))
        {
            return false;
        }

        if (SecretPatterns.Version().IsMatch(value) || SecretPatterns.DottedIdentifier().IsMatch(value)
            || SecretPatterns.SeparatedWords().IsMatch(value) || SecretPatterns.PlainWord().IsMatch(value)
            || SecretPatterns.Email().IsMatch(value) || SecretPatterns.IntegrityHash().IsMatch(value)
            || SecretPatterns.CamelCaseWords().IsMatch(value) || SecretPatterns.Uuid().IsMatch(value) || SecretPatterns.IsoDate().IsMatch(value))
        {
            return false;
        }

        var hasDigit = false;
        var hasLetter = false;
        foreach (var c in value)
        {
            hasDigit |= char.IsAsciiDigit(c);
            hasLetter |= char.IsLetter(c);
        }

        // A bare word in code is a variable, a member or a type, not a literal.
        if (!quoted && ((!hasDigit && IsIdentifier(value)) || SecretPatterns.MemberAccess().IsMatch(value)
            || (IsIdentifier(value) && value.Contains('_', StringComparison.Ordinal))))
        {
            return false;
        }

        if (!hasLetter && value.Length < 16)
        {
            // Numbers: ports, sizes, timeouts.
            return false;
        }

        var entropy = Entropy(value);
        return family == NameFamily.Password
            ? value.Length >= options.PasswordMinLength && entropy >= options.PasswordMinEntropy
            : value.Length >= options.TokenMinLength && entropy >= options.TokenMinEntropy && (hasDigit || value.Length >= 20);
    }

    private static bool IsIdentifier(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}
