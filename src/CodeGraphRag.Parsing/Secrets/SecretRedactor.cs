using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Finds secrets in chunk text and replaces each value (not the name it is assigned to) with <c>[REDACTED:&lt;rule-id&gt;]</c>.</summary>
/// <remarks>
/// <para>Rules: see <see cref="SecretRuleIds"/>. Provider rules match fixed token formats and require the random part to have
/// at least 3.0 bits/char of entropy and no placeholder runs (XXXXXX, 000000, EXAMPLE). The generic rule looks only at lines
/// that contain a secret-like word (password, secret, token, api_key, ...), matches <c>name = value</c>, <c>name: value</c>,
/// <c>"name": "value"</c>, <c>NAME=value</c>, <c>name := value</c>, <c>name =&gt; value</c>, <c>"name", "value"</c> and XML
/// forms, and keeps only literals that pass <see cref="SecretRedactorOptions"/> thresholds and are not references
/// (<c>${X}</c>, <c>process.env.X</c>, calls, member access), placeholders (changeme, &lt;your-token&gt;, xxx, test/example/dummy
/// values), paths, URLs, versions, e-mail addresses or identifiers. Stripe test keys (sk_test_) are redacted: they are still
/// credentials for an account.</para>
/// <para>Context rules (the partial files) find values by their shape and surroundings rather than a name on the same line:
/// AWS secret keys near their access key id, after a "secret" label or under a Secret column header; cells of CSV columns
/// headed Secret/Password/Token; password arguments of command-line tools; basic-auth pairs of literals; and
/// <c>*_PASS</c>/<c>*_KEY</c> variables in shell, dotenv and Dockerfile forms.</para>
/// <para>Overlapping findings merge into one marker. Line breaks inside a redacted span are kept after the marker, so line
/// numbers do not move. A chunk that starts inside a private key (END without BEGIN) is redacted from its start; one that
/// ends inside a key (BEGIN without END) to its end.</para>
/// <para>Cost is linear in the text: one vectorised scan for all trigger words decides which rules run; expressions are
/// source-generated with bounded quantifiers and a 1 s match timeout (<see cref="RegexMatchTimeoutException"/> propagates
/// so the caller records the file as failed rather than storing it unscanned). Thread-safe.</para>
/// </remarks>
public sealed partial class SecretRedactor : ISecretRedactor
{
    private const string RulesVersion = "secrets-2";
    private const int WindowBefore = 120;
    private const int WindowAfter = 800;

    private static readonly string[] KeywordTriggers =
    [
        "password", "passwd", "passphrase", "pwd", "secret", "private_key", "privatekey", "private-key", "credential", "token",
        "api_key", "apikey", "api-key", "access_key", "accesskey", "access-key", "auth", "bearer", "signing", "encryption_key",
        "encryptionkey", "master_key", "masterkey",
    ];

    /// <summary>Words that start the context rules (tables, command-line tools, environment names); declared before AnyTrigger, which includes them.</summary>
    private static readonly string[] ContextTriggers =
        ["api key", "mysql", "mariadb", "sshpass", "curl", "pass", "_key", "ENV", "redis-cli", "login", ":5432:", ":*:", "NetworkCredential"];

    private static readonly SearchValues<string> KeywordSearch = SearchValues.Create(KeywordTriggers, StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> ConnectionStringSearch =
        SearchValues.Create(["password", "pwd", "accountkey", "sharedaccess"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> SchemeSearch = SearchValues.Create(["://"], StringComparison.Ordinal);

    private static readonly SearchValues<string> AnyTrigger = SearchValues.Create(
        [
            .. KeywordTriggers, "PRIVATE KEY", "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA",
            "gh", "github_pat_", "glpat-", "xox", "hooks.slack.com", "sk_", "rk_", "whsec_", "AIza", "sk-", "npm_", "eyJ", "://", "AccountKey", "SharedAccess",
            .. ContextTriggers,
        ],
        StringComparison.OrdinalIgnoreCase);

    private static readonly TokenRule[] TokenRules =
    [
        new(SecretRuleIds.AwsAccessKeyId, ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"], SecretPatterns.AwsAccessKeyId(), 2.5),
        new(SecretRuleIds.AwsSecretAccessKey, ["aws"], SecretPatterns.AwsSecretAccessKey(), 3.5),
        new(SecretRuleIds.GitHubToken, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], SecretPatterns.GitHubToken(), 3.0),
        new(SecretRuleIds.GitLabToken, ["glpat-"], SecretPatterns.GitLabToken(), 3.0),
        new(SecretRuleIds.SlackToken, ["xox"], SecretPatterns.SlackToken(), 3.0),
        new(SecretRuleIds.SlackWebhook, ["hooks.slack.com"], SecretPatterns.SlackWebhook(), 3.0),
        new(SecretRuleIds.StripeKey, ["sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_"], SecretPatterns.StripeKey(), 3.0),
        new(SecretRuleIds.GoogleApiKey, ["AIza"], SecretPatterns.GoogleApiKey(), 3.0),
        new(SecretRuleIds.OpenAiApiKey, ["sk-"], SecretPatterns.OpenAiApiKey(), 3.5),
        new(SecretRuleIds.NpmToken, ["npm_"], SecretPatterns.NpmToken(), 3.0),
        new(SecretRuleIds.Jwt, ["eyJ"], SecretPatterns.Jwt(), 3.0),
    ];

    private static readonly HashSet<string> UrlPlaceholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "changeme", "xxx", "xxxx", "***", "****", "user", "username",
    };

    private readonly SecretRedactorOptions _options;

    /// <summary>Creates a redactor with the given thresholds (defaults when null).</summary>
    public SecretRedactor(SecretRedactorOptions? options = null)
    {
        _options = options ?? new SecretRedactorOptions();
        var defaults = new SecretRedactorOptions();
        Version = _options == defaults
            ? RulesVersion
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{RulesVersion};p={_options.PasswordMinLength}/{_options.PasswordMinEntropy};t={_options.TokenMinLength}/{_options.TokenMinEntropy}");
    }

    /// <inheritdoc/>
    public string Version { get; }

    /// <inheritdoc/>
    public RedactionResult Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(AnyTrigger) < 0)
        {
            return new RedactionResult(text, []);
        }

        var findings = new List<Finding>();
        FindPrivateKeys(text, findings);
        foreach (var rule in TokenRules)
        {
            if (rule.Triggered(text))
            {
                FindTokens(text, rule, findings);
            }
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            ForEachWindow(text, SchemeSearch, 40, 600, (start, end) => FindUrlPasswords(text, start, end, findings));
        }

        ForEachWindow(text, ConnectionStringSearch, 800, 800, (start, end) => FindConnectionStrings(text, start, end, findings));
        FindAssignments(text, findings);
        FindAwsSecretsInContext(text, findings);
        FindTableColumns(text, findings);
        FindCommandLinePasswords(text, findings);
        FindBasicAuthPairs(text, findings);
        FindEnvironmentAssignments(text, findings);

        return findings.Count == 0 ? new RedactionResult(text, []) : Apply(text, findings);
    }

    private static void FindPrivateKeys(string text, List<Finding> findings)
    {
        if (!text.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return;
        }

        var position = 0;
        var first = true;
        while (position < text.Length)
        {
            var begin = SecretPatterns.PrivateKeyBegin().Match(text, position);
            var end = SecretPatterns.PrivateKeyEnd().Match(text, position);
            if (first && end.Success && (!begin.Success || end.Index < begin.Index) && HasKeyMaterial(text, 0, end.Index))
            {
                // The chunk starts inside a key: everything up to its END line is key material.
                findings.Add(new Finding(0, end.Index + end.Length, SecretRuleIds.PrivateKey, 0));
                position = end.Index + end.Length;
                first = false;
                continue;
            }

            first = false;
            if (!begin.Success)
            {
                return;
            }

            var bodyStart = begin.Index + begin.Length;
            var close = SecretPatterns.PrivateKeyEnd().Match(text, bodyStart);
            var stop = close.Success ? close.Index + close.Length : text.Length;
            if (HasKeyMaterial(text, bodyStart, close.Success ? close.Index : text.Length))
            {
                findings.Add(new Finding(begin.Index, stop - begin.Index, SecretRuleIds.PrivateKey, 0));
            }

            position = stop;
        }
    }

    /// <summary>Key material has long base64 runs; prose that only names the markers ("the -----BEGIN ... PRIVATE KEY----- line") does not.</summary>
    private static bool HasKeyMaterial(string text, int start, int end) =>
        end > start && SecretPatterns.Base64Run().IsMatch(text.AsSpan(start, end - start));

    private static void FindTokens(string text, TokenRule rule, List<Finding> findings)
    {
        for (var m = rule.Pattern.Match(text); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"];
            var body = m.Groups["body"].Success ? m.Groups["body"].ValueSpan : value.ValueSpan;
            var underscore = body.IndexOf('_');
            if (rule.Id is SecretRuleIds.GitHubToken or SecretRuleIds.StripeKey or SecretRuleIds.NpmToken && underscore >= 0)
            {
                body = body[(underscore + 1)..];
            }

            if (!SecretHeuristics.LooksRandom(body, rule.MinEntropy))
            {
                continue;
            }

            if (rule.Id == SecretRuleIds.OpenAiApiKey && !HasMixedCharacters(body))
            {
                continue;
            }

            findings.Add(new Finding(value.Index, value.Length, rule.Id, 1));
        }
    }

    private static bool HasMixedCharacters(ReadOnlySpan<char> body)
    {
        bool upper = false, lower = false, digit = false;
        foreach (var c in body)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        return upper && lower && digit;
    }

    private static void FindUrlPasswords(string text, int start, int end, List<Finding> findings)
    {
        for (var m = SecretPatterns.UrlPassword().Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"];
            var password = value.Value;
            if (UrlPlaceholders.Contains(password) || IsReference(password) || (password.Length <= 5 && password.All(char.IsAsciiDigit))
                || password.All(c => c == password[0]))
            {
                continue;
            }

            findings.Add(new Finding(value.Index, value.Length, SecretRuleIds.UrlPassword, 2));
        }
    }

    private static bool IsReference(string value) =>
        value.Length == 0 || value[0] is '$' or '{' or '<' or '%' || value.Contains("${", StringComparison.Ordinal)
        || value.Contains("{{", StringComparison.Ordinal) || value.Contains('{', StringComparison.Ordinal)
        || value.Contains("%s", StringComparison.Ordinal) || value.Contains("%(", StringComparison.Ordinal)
        || value.Contains("[REDACTED:", StringComparison.Ordinal);

    private void FindConnectionStrings(string text, int windowStart, int windowEnd, List<Finding> findings)
    {
        var window = text.AsSpan(windowStart, windowEnd - windowStart);
        for (var m = SecretPatterns.SqlPassword().Match(text, windowStart, windowEnd - windowStart); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["qv"];
            if (SecretHeuristics.IsSecretValue(value.Value, SecretHeuristics.NameFamily.Password, quoted: true, _options))
            {
                findings.Add(new Finding(value.Index, value.Length, SecretRuleIds.ConnectionStringPassword, 2));
            }
        }

        if (window.IndexOf(';') < 0 || !SecretPatterns.ConnectionStringKey().IsMatch(window))
        {
            return;
        }

        for (var m = SecretPatterns.ConnectionStringPassword().Match(text, windowStart, windowEnd - windowStart); m.Success; m = m.NextMatch())
        {

            var value = m.Groups["v"];
            var start = value.Index;
            var length = value.Length;
            var raw = value.ValueSpan;
            if (raw.Length >= 2 && raw[0] is '\'' or '"' or '{')
            {
                start++;
                length -= 2;
            }

            var secret = text.Substring(start, length);
            if (length <= 0 || IsReference(secret) || UrlPlaceholders.Contains(secret)
                || !SecretHeuristics.IsSecretValue(secret, SecretHeuristics.NameFamily.Password, quoted: true, _options))
            {
                continue;
            }

            findings.Add(new Finding(start, length, SecretRuleIds.ConnectionStringPassword, 2));
        }
    }

    /// <summary>
    /// Calls <paramref name="scan"/> on windows around each trigger: from <paramref name="before"/> characters before it to
    /// <paramref name="after"/> after it, clipped to its line; overlapping windows are merged, so each character is scanned a
    /// bounded number of times.
    /// </summary>
    private static void ForEachWindow(string text, SearchValues<string> triggers, int before, int after, Action<int, int> scan)
    {
        var span = text.AsSpan();
        var searchFrom = 0;
        var windowStart = -1;
        var windowEnd = -1;
        while (searchFrom < text.Length)
        {
            var hit = span[searchFrom..].IndexOfAny(triggers);
            if (hit < 0)
            {
                break;
            }

            hit += searchFrom;
            var lineStart = hit == 0 ? 0 : text.LastIndexOf('\n', hit - 1) + 1;
            var lineEnd = text.IndexOf('\n', hit);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            var start = Math.Max(lineStart, hit - before);
            var end = Math.Min(lineEnd, hit + after);
            if (windowStart >= 0 && start <= windowEnd)
            {
                windowEnd = Math.Max(windowEnd, end);
            }
            else
            {
                if (windowStart >= 0)
                {
                    scan(windowStart, windowEnd);
                }

                windowStart = start;
                windowEnd = end;
            }

            searchFrom = hit + 1;
        }

        if (windowStart >= 0)
        {
            scan(windowStart, windowEnd);
        }
    }

    /// <summary>
    /// For each secret-like word, anchors the assignment pattern at the start of the name that contains it (one match attempt
    /// per name, so the cost stays linear), and tries the XML forms on lines that have them.
    /// </summary>
    private void FindAssignments(string text, List<Finding> findings)
    {
        var span = text.AsSpan();
        var searchFrom = 0;
        var lastNameStart = -1;
        var consumedTo = 0;
        var xmlLineEnd = -1;
        while (searchFrom < text.Length)
        {
            var hit = span[searchFrom..].IndexOfAny(KeywordSearch);
            if (hit < 0)
            {
                break;
            }

            hit += searchFrom;
            searchFrom = hit + 1;
            var lineStart = hit == 0 ? 0 : text.LastIndexOf('\n', hit - 1) + 1;
            var lineEnd = text.IndexOf('\n', hit);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;

            var nameStart = hit;
            while (nameStart > lineStart && hit - nameStart < 100 && IsNameChar(text[nameStart - 1]))
            {
                nameStart--;
            }

            if (nameStart > lineStart && text[nameStart - 1] is '"' or '\'' or '`')
            {
                nameStart--;
            }

            if (nameStart != lastNameStart && nameStart >= consumedTo)
            {
                lastNameStart = nameStart;
                var end = Math.Min(lineEnd, nameStart + WindowAfter);
                var m = SecretPatterns.Assignment().Match(text, nameStart, end - nameStart);
                if (m.Success && AcceptAssignment(text, m, findings))
                {
                    consumedTo = m.Index + m.Length;
                }
            }

            if (lineStart > xmlLineEnd)
            {
                xmlLineEnd = lineEnd;
                var start = Math.Max(lineStart, hit - WindowBefore);
                var end = Math.Min(lineEnd, hit + WindowAfter);
                var window = span[start..end];
                if (window.Contains("</", StringComparison.Ordinal))
                {
                    ScanXml(SecretPatterns.XmlElement(), text, start, end, findings);
                }

                if (window.Contains("value", StringComparison.Ordinal))
                {
                    ScanXml(SecretPatterns.XmlAddKey(), text, start, end, findings);
                }
            }
        }
    }

    private static bool IsSetter(string name)
    {
        var dot = name.LastIndexOf('.');
        var member = dot < 0 ? name : name[(dot + 1)..];
        return member.StartsWith("set", StringComparison.OrdinalIgnoreCase) || member.StartsWith("with", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsTypeAnnotation(string text, int after)
    {
        var i = after;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i < text.Length && text[i] is ',' or ')' or '=';
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '.' or '-';

    private bool AcceptAssignment(string text, Match m, List<Finding> findings)
    {
        // "key", "value" pairs only as the first arguments of a call: put("password", "..."), setenv("API_TOKEN", "...").
        var op = m.Groups["op"].Value;
        if (op == "(" && (!m.Groups["qv"].Success || !IsSetter(m.Groups["name"].Value)))
        {
            // Only setters take the secret as their argument: setPassword("..."), with_api_key("...").
            return false;
        }

        if (op == ":" && m.Index > 0 && text[m.Index - 1] == ':')
        {
            // A segment of a colon path (arn:aws:secretsmanager:...:secret:name), not a key.
            return false;
        }

        if (op == "," && (m.Groups["q"].Length == 0 || !m.Groups["qv"].Success || !IsCallArgument(text, m.Groups["q"].Index, m.Groups["name"].Value)))
        {
            return false;
        }

        var quoted = m.Groups["qv"].Success;
        var value = quoted ? m.Groups["qv"] : m.Groups["bv"];
        var after = m.Index + m.Length;
        if (!quoted && op == ":" && after < text.Length && text[after] is ',' or ')' or '=' or ' ' && IsTypeAnnotation(text, after))
        {
            // A parameter's type annotation: def f(private_key: PKCS7PrivateKeyTypes, ...).
            return false;
        }

        if (quoted && m.Groups["sp"].Success && m.Groups["sp"].Value.Contains('f', StringComparison.OrdinalIgnoreCase)
            && value.ValueSpan.Contains('{'))
        {
            return false;
        }

        if (!TryAccept(m.Groups["name"].Value, value, quoted, out var valueStart, out var valueLength))
        {
            return false;
        }

        findings.Add(new Finding(valueStart, valueLength, SecretRuleIds.GenericSecret, 3));
        return true;
    }

    private static bool IsCallArgument(string text, int quoteIndex, string name)
    {
        var i = quoteIndex - 1;
        while (i >= 0 && text[i] is ' ' or '\t')
        {
            i--;
        }

        return i >= 0 && text[i] == '(' && SecretHeuristics.EndsWithKeyword(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
    }

    private void ScanXml(Regex pattern, string text, int start, int end, List<Finding> findings)
    {
        for (var m = pattern.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            if (TryAccept(m.Groups["name"].Value, m.Groups["qv"], quoted: true, out var valueStart, out var valueLength))
            {
                findings.Add(new Finding(valueStart, valueLength, SecretRuleIds.GenericSecret, 3));
            }
        }
    }

    private bool TryAccept(string name, Group value, bool quoted, out int start, out int length)
    {
        start = value.Index;
        length = value.Length;
        var family = SecretHeuristics.Classify(name);
        if (family == SecretHeuristics.NameFamily.None)
        {
            return false;
        }

        var text = value.Value;
        foreach (var prefix in (ReadOnlySpan<string>)["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token "])
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..].TrimStart();
                start += length - text.Length;
                length = text.Length;
                break;
            }
        }

        return SecretHeuristics.IsSecretValue(text, family, quoted, _options);
    }

    private static RedactionResult Apply(string text, List<Finding> findings)
    {
        findings.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Priority.CompareTo(b.Priority));
        var merged = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (merged.Count > 0 && finding.Start < merged[^1].End)
            {
                var last = merged[^1];
                var end = Math.Max(last.End, finding.End);
                var winner = finding.Priority < last.Priority ? finding.RuleId : last.RuleId;
                var priority = Math.Min(finding.Priority, last.Priority);
                merged[^1] = new Finding(last.Start, end - last.Start, winner, priority);
                continue;
            }

            merged.Add(finding);
        }

        var builder = new StringBuilder(text.Length);
        var ids = new List<string>(merged.Count);
        var cursor = 0;
        foreach (var finding in merged)
        {
            builder.Append(text, cursor, finding.Start - cursor);
            builder.Append("[REDACTED:").Append(finding.RuleId).Append(']');
            foreach (var c in text.AsSpan(finding.Start, finding.Length))
            {
                // Keep line breaks so line numbers after the secret do not move.
                if (c is '\n' or '\r')
                {
                    builder.Append(c);
                }
            }

            ids.Add(finding.RuleId);
            cursor = finding.End;
        }

        builder.Append(text, cursor, text.Length - cursor);
        return new RedactionResult(builder.ToString(), ids);
    }

    private sealed record Finding(int Start, int Length, string RuleId, int Priority)
    {
        public int End => Start + Length;
    }

    private sealed record TokenRule(string Id, string[] Triggers, Regex Pattern, double MinEntropy)
    {
        public bool Triggered(string text)
        {
            foreach (var trigger in Triggers)
            {
                if (text.Contains(trigger, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
