namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Rule ids reported in <c>RedactionResult.Findings</c> and written in the marker <c>[REDACTED:&lt;rule-id&gt;]</c>.</summary>
public static class SecretRuleIds
{
    /// <summary>A PEM/OpenSSH/PGP private key block (RSA, EC, DSA, OPENSSH, PGP, ENCRYPTED), redacted whole.</summary>
    public const string PrivateKey = "private-key";

    /// <summary>An AWS access key id (AKIA..., ASIA..., ...).</summary>
    public const string AwsAccessKeyId = "aws-access-key-id";

    /// <summary>
    /// A 40-character AWS secret access key: assigned to an aws...secret name, within a few lines of an access key id, after
    /// a "secret" label on its line, or in a table column whose header names a secret.
    /// </summary>
    public const string AwsSecretAccessKey = "aws-secret-access-key";

    /// <summary>A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_).</summary>
    public const string GitHubToken = "github-token";

    /// <summary>A GitLab personal access token (glpat-).</summary>
    public const string GitLabToken = "gitlab-token";

    /// <summary>A Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-, xoxe-).</summary>
    public const string SlackToken = "slack-token";

    /// <summary>A Slack incoming-webhook URL (hooks.slack.com/services/...), redacted whole.</summary>
    public const string SlackWebhook = "slack-webhook";

    /// <summary>A Stripe secret or restricted key, live or test (sk_live_, rk_live_, sk_test_, rk_test_), or a webhook secret (whsec_).</summary>
    public const string StripeKey = "stripe-key";

    /// <summary>A Google API key (AIza...).</summary>
    public const string GoogleApiKey = "google-api-key";

    /// <summary>An OpenAI-style key (sk-..., sk-proj-..., sk-ant-...), long and random.</summary>
    public const string OpenAiApiKey = "openai-api-key";

    /// <summary>An npm access token (npm_...).</summary>
    public const string NpmToken = "npm-token";

    /// <summary>A JSON Web Token (eyJ...eyJ...signature).</summary>
    public const string Jwt = "jwt";

    /// <summary>A Password=/Pwd=/AccountKey=/SharedAccessKey= value inside a connection string, or a SQL <c>PASSWORD '...'</c> / <c>IDENTIFIED BY '...'</c>.</summary>
    public const string ConnectionStringPassword = "connection-string-password";

    /// <summary>
    /// A password given to a command-line tool: MySQL/MariaDB <c>-p</c>, <c>--password</c>, <c>sshpass -p</c>, <c>curl -u user:password</c>,
    /// <c>redis-cli -a</c>, <c>docker login -p</c>; also the password field of a <c>.pgpass</c> line.
    /// </summary>
    public const string CommandLinePassword = "command-line-password";

    /// <summary>The password of a basic-auth pair of literals in code: <c>auth=("user", "password")</c>, <c>HTTPBasicAuth("user", "password")</c>, <c>new NetworkCredential("user", "password")</c>.</summary>
    public const string BasicAuthPassword = "basic-auth-password";

    /// <summary>The password part of scheme://user:password@host.</summary>
    public const string UrlPassword = "url-password";

    /// <summary>
    /// A literal assigned to a name such as password, secret, token, api_key, that passes the length and entropy thresholds;
    /// also environment names with a PASS segment or an upper-case *_KEY name, Dockerfile <c>ENV NAME value</c>, and table
    /// cells under a header naming a secret.
    /// </summary>
    public const string GenericSecret = "generic-secret";
}
