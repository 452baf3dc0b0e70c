using System.Buffers;
using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Rules for passwords passed on command lines and to basic-auth helpers in code.</summary>
public sealed partial class SecretRedactor
{
    private const int LineWindow = 2000;

    private static readonly SearchValues<string> MysqlSearch = SearchValues.Create(["mysql", "mariadb"], StringComparison.Ordinal);

    private static readonly SearchValues<string> SshpassSearch = SearchValues.Create(["sshpass"], StringComparison.Ordinal);

    private static readonly SearchValues<string> CurlSearch = SearchValues.Create(["curl"], StringComparison.Ordinal);

    private static readonly SearchValues<string> LongPasswordSearch = SearchValues.Create(["password"], StringComparison.Ordinal);

    private static readonly SearchValues<string> AuthSearch = SearchValues.Create(["auth"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> RedisCliSearch = SearchValues.Create(["redis-cli"], StringComparison.Ordinal);

    private static readonly SearchValues<string> LoginSearch = SearchValues.Create(["login"], StringComparison.Ordinal);

    /// <summary>Where a .pgpass line is looked for: the file's name nearby, or the default port or a wildcard field.</summary>
    private static readonly SearchValues<string> PgpassSearch = SearchValues.Create(["pgpass", ":5432:", ":*:"], StringComparison.Ordinal);

    private static readonly SearchValues<string> NetworkCredentialSearch = SearchValues.Create(["NetworkCredential"], StringComparison.Ordinal);

    /// <summary>
    /// <c>-p</c> of MySQL/MariaDB clients (attached <c>-pPASS</c>; spaced <c>-p PASS</c> only when PASS mixes upper case, lower
    /// case and digits, since <c>-p db</c> prompts and names a database), <c>--password[=]</c> and <c>--xxx-password[=]</c> of
    /// any tool, <c>sshpass -p</c>, <c>curl -u/--user user:pass</c>, <c>redis-cli -a/--pass</c>, <c>-p</c> of registry logins
    /// (<c>docker login -p</c>), and the password field of <c>.pgpass</c> lines.
    /// </summary>
    private void FindCommandLinePasswords(string text, List<Finding> findings)
    {
        ForEachWindow(text, MysqlSearch, 0, LineWindow, (start, end) =>
        {
            var client = SecretPatterns.MysqlClient().Match(text, start, end - start);
            if (client.Success)
            {
                var from = client.Index + client.Length;
                ScanOptions(SecretPatterns.MysqlPassword(), text, from, end, spacedNeedsMixedCase: true, findings);
            }
        });
        ForEachWindow(text, LongPasswordSearch, 40, 300, (start, end) =>
            ScanOptions(SecretPatterns.LongPasswordOption(), text, start, end, spacedNeedsMixedCase: false, findings));
        ForEachWindow(text, SshpassSearch, 0, 400, (start, end) =>
            ScanOptions(SecretPatterns.SshpassPassword(), text, start, end, spacedNeedsMixedCase: false, findings));
        ForEachWindow(text, CurlSearch, 0, LineWindow, (start, end) =>
            ScanOptions(SecretPatterns.CurlUserPassword(), text, start, end, spacedNeedsMixedCase: false, findings));
        ScanAfterCommand(text, RedisCliSearch, SecretPatterns.RedisClient(), SecretPatterns.RedisPassword(), findings);
        ScanAfterCommand(text, LoginSearch, SecretPatterns.RegistryLogin(), SecretPatterns.RegistryPassword(), findings);
        ForEachWindow(text, PgpassSearch, 300, 300, (start, end) =>
            AddPasswords(SecretPatterns.PgpassLine(), text, start, end, quoted: false, SecretRuleIds.CommandLinePassword, findings));
    }

    /// <summary>Options of one command: the command must be on the line, and only what follows it is scanned.</summary>
    private void ScanAfterCommand(string text, SearchValues<string> trigger, Regex command, Regex option, List<Finding> findings)
        => ForEachWindow(text, trigger, 40, LineWindow, (start, end) =>
        {
            var found = command.Match(text, start, end - start);
            if (found.Success)
            {
                ScanOptions(option, text, found.Index + found.Length, end, spacedNeedsMixedCase: false, findings);
            }
        });

    private void ScanOptions(Regex pattern, string text, int start, int end, bool spacedNeedsMixedCase, List<Finding> findings)
    {
        for (var m = pattern.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var spaced = m.Groups["sv"];
            var value = spaced.Success ? spaced : m.Groups["v"];
            var (valueStart, valueLength) = Unquoted(text, value.Index, value.Length);
            var secret = text.Substring(valueStart, valueLength);
            if (spaced.Success && spacedNeedsMixedCase && !HasMixedCharacters(secret))
            {
                continue;
            }

            if (IsPassword(secret, quoted: !spaced.Success))
            {
                findings.Add(new Finding(valueStart, valueLength, SecretRuleIds.CommandLinePassword, 2));
            }
        }
    }

    /// <summary>
    /// A pair of string literals given as basic-auth credentials: <c>auth=("user", "pass")</c>, <c>session.auth = ('u', 'p')</c>,
    /// <c>HTTPBasicAuth("u", "p")</c>, <c>HTTPDigestAuth</c>, <c>SetBasicAuth</c>, <c>withBasicAuth</c>, and .NET's
    /// <c>new NetworkCredential("u", "p")</c>. Only the password is redacted.
    /// </summary>
    private void FindBasicAuthPairs(string text, List<Finding> findings)
    {
        ForEachWindow(text, AuthSearch, 80, 400, (start, end) =>
            AddPasswords(SecretPatterns.BasicAuthPair(), text, start, end, quoted: true, SecretRuleIds.BasicAuthPassword, findings));
        ForEachWindow(text, NetworkCredentialSearch, 0, 400, (start, end) =>
            AddPasswords(SecretPatterns.NetworkCredentialPair(), text, start, end, quoted: true, SecretRuleIds.BasicAuthPassword, findings));
    }

    /// <summary>Every match of <paramref name="pattern"/> in the window whose <c>v</c> group reads as a password becomes a finding of <paramref name="ruleId"/>.</summary>
    private void AddPasswords(Regex pattern, string text, int start, int end, bool quoted, string ruleId, List<Finding> findings)
    {
        for (var m = pattern.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"];
            if (IsPassword(value.Value, quoted))
            {
                findings.Add(new Finding(value.Index, value.Length, ruleId, 2));
            }
        }
    }

    private bool IsPassword(string value, bool quoted) =>
        value.Length > 0 && value[0] != '-' && !UrlPlaceholders.Contains(value) && !IsReference(value)
        && SecretHeuristics.IsSecretValue(value, SecretHeuristics.NameFamily.Password, quoted, _options);

    private static (int Start, int Length) Unquoted(string text, int start, int length) =>
        length >= 2 && text[start] is '\'' or '"' && text[start + length - 1] == text[start] ? (start + 1, length - 2) : (start, length);
}
