using CodeGraphRag.Parsing.Secrets;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Secrets;

/// <summary>Secrets found by shape and context (issue 17): each probe that was once stored as-is, and the look-alikes that must stay.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SecretRedactorContextTests
{
    private const string Id = "[REDACTED:aws-access-key-id]";
    private const string Key = "[REDACTED:aws-secret-access-key]";
    private const string Cli = "[REDACTED:command-line-password]";
    private const string Generic = "[REDACTED:generic-secret]";
    private readonly SecretRedactor _redactor = new();

    [Theory]
    [InlineData("Key,Secret\n{{awsid}},{{awssecret}}\n", $"Key,Secret\n{Id},{Key}\n")]
    [InlineData(
        "User name,Password,Access key ID,Secret access key,Console login link\nci,{{pw}},{{awsid}},{{awssecret}},https://123456789012.signin.aws.amazon.com/console\n",
        $"User name,Password,Access key ID,Secret access key,Console login link\nci,{Generic},{Id},{Key},https://123456789012.signin.aws.amazon.com/console\n")]
    [InlineData("Access key ID,Secret access key\r\n{{awsid}},{{awssecret}}\r\n", $"Access key ID,Secret access key\r\n{Id},{Key}\r\n")]
    [InlineData("Secret\n{{awssecret}}\n", $"Secret\n{Key}\n")]
    [InlineData("Demo credentials: `{{awsid}}` / `{{awssecret}}`.", $"Demo credentials: `{Id}` / `{Key}`.")]
    [InlineData("id = {{awsid}}\n\n\nkey = {{awssecret}}", $"id = {Id}\n\n\nkey = {Key}")]
    [InlineData("AWS Secret Access Key [None]: {{awssecret}}", $"AWS Secret Access Key [None]: {Key}")]
    public void Redact_AwsSecretKeyInContext_RedactsOnlyTheValues(string template, string expected)
    {
        var (text, secrets) = new SecretSampleFactory(template.Length).Expand(template);

        var result = _redactor.Redact(text);

        Assert.Equal(expected, result.Text);
        Assert.All(secrets, s => Assert.DoesNotContain(s, result.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("export DB_PASS='Kx9mQ2vLp7'", $"export DB_PASS='{Generic}'")]
    [InlineData("DB_PASS=Kx9mQ2vLp7", $"DB_PASS={Generic}")]
    [InlineData("ENV ADMIN_PASS Kx9mQ2vLp7", $"ENV ADMIN_PASS {Generic}")]
    [InlineData("ENV SERVICE_TOKEN a1B2c3D4e5F6g7H8i9J0", $"ENV SERVICE_TOKEN {Generic}")]
    [InlineData("export MAILGUN_KEY=key-3ax6xnjp29jd6fds4gc373sgvjxteol0", $"export MAILGUN_KEY={Generic}")]
    [InlineData("  SMTP_PASS: Kx9mQ2vLp7", $"  SMTP_PASS: {Generic}")]
    [InlineData("$env:DB_PASS = \"Kx9mQ2vLp7\"", $"$env:DB_PASS = \"{Generic}\"")]
    [InlineData("PGPASSWORD=Kx9mQ2vLp7 psql -h db -U app", $"PGPASSWORD={Generic} psql -h db -U app")]
    [InlineData("mysql -uroot -pKx9mQ2vLp7 app", $"mysql -uroot -p{Cli} app")]
    [InlineData("mysql -u root -p Kx9mQ2vLp7 app", $"mysql -u root -p {Cli} app")]
    [InlineData("mysqldump -uroot -p'Kx9!mQ2#vL' app", $"mysqldump -uroot -p'{Cli}' app")]
    [InlineData("mariadb --password=Kx9mQ2vLp7 app", $"mariadb --password={Cli} app")]
    [InlineData("docker login --username ci --password Kx9mQ2vLp7 ghcr.io", $"docker login --username ci --password {Cli} ghcr.io")]
    [InlineData("sshpass -p 'Kx9mQ2vLp7' ssh deploy@host", $"sshpass -p '{Cli}' ssh deploy@host")]
    [InlineData("curl -u admin:Kx9mQ2vLp7 https://api.internal/v1", $"curl -u admin:{Cli} https://api.internal/v1")]
    [InlineData("curl --user \"admin:Kx9mQ2vLp7\" https://api.internal/v1", $"curl --user \"admin:{Cli}\" https://api.internal/v1")]
    [InlineData("r = requests.get(url, auth=(\"admin\", \"Kx9mQ2vLp7\"))", "r = requests.get(url, auth=(\"admin\", \"[REDACTED:basic-auth-password]\"))")]
    [InlineData("auth = HTTPBasicAuth('admin', 'Kx9mQ2vLp7')", "auth = HTTPBasicAuth('admin', '[REDACTED:basic-auth-password]')")]
    [InlineData("git clone https://deploy:Kx9mQ2vLp7@git.internal/r.git", "git clone https://deploy:[REDACTED:url-password]@git.internal/r.git")]
    [InlineData("redis-cli -h cache -a Kx9mQ2vLp7 ping", $"redis-cli -h cache -a {Cli} ping")]
    [InlineData("redis-cli --pass 'Kx9!mQ2#vL' ping", $"redis-cli --pass '{Cli}' ping")]
    [InlineData("docker login -u ci -p Kx9mQ2vLp7 registry.internal", $"docker login -u ci -p {Cli} registry.internal")]
    [InlineData("helm registry login ghcr.io -u ci -p=Kx9mQ2vLp7", $"helm registry login ghcr.io -u ci -p={Cli}")]
    [InlineData("db.internal:5432:app:app:Kx9mQ2vLp7", $"db.internal:5432:app:app:{Cli}")]
    [InlineData("echo 'localhost:*:*:postgres:Kx9mQ2vLp7' >> ~/.pgpass", $"echo 'localhost:*:*:postgres:{Cli}' >> ~/.pgpass")]
    [InlineData("var c = new NetworkCredential(\"svc\", \"Kx9mQ2vLp7\", \"CORP\");", "var c = new NetworkCredential(\"svc\", \"[REDACTED:basic-auth-password]\", \"CORP\");")]
    public void Redact_CredentialByContext_ReplacesOnlyTheSecret(string text, string expected)
    {
        Assert.Equal(expected, _redactor.Redact(text).Text);
    }

    [Theory]
    [InlineData("export DB_PASS=$DB_PASS")]
    [InlineData("export TOKEN=${TOKEN}")]
    [InlineData("export DB_PASS=\"${DB_PASS:-}\"")]
    [InlineData("export DB_PASS")]
    [InlineData("DB_PASS=")]
    [InlineData("DB_PASS=changeme")]
    [InlineData("DB_PASS=***")]
    [InlineData("DB_PASS=xxx")]
    [InlineData("DB_PASS=your-password")]
    [InlineData("DB_PASS=<password>")]
    [InlineData("db_pass = os.environ[\"DB_PASS\"]")]
    [InlineData("db_pass = settings.db_pass")]
    [InlineData("EMRFS_SSE_KEY = 'fs.s3.enableServerSideEncryption'")]
    [InlineData("ORIGIN_TRACE_HEADER_ATTR_KEY = '_origin_trace_header'")]
    [InlineData("        p = Popen(args,\n                  pass_fds=pass_fds,\n                  pass_not_threadsafe=False,\n)")]
    [InlineData("export BYPASS_CACHE=1")]
    [InlineData("ENV PASSENGER_VERSION=6.0.19")]
    [InlineData("export API_KEY_FILE=/run/secrets/api_key")]
    [InlineData("export SORT_KEY=created_at")]
    [InlineData("ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305")]
    [InlineData("mysql -uroot -p<password> app")]
    [InlineData("mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\" app")]
    [InlineData("mysql -u root -p app_production < dump.sql")]
    [InlineData("mysql -uroot -p*** app")]
    [InlineData("mysqldump --password --single-transaction app")]
    [InlineData("docker login --password-stdin ghcr.io")]
    [InlineData("parser.add_argument(\"--password\", help=\"database password\")")]
    [InlineData("sshpass -p \"$SSHPASS\" ssh deploy@host")]
    [InlineData("ssh -p 2222 deploy@host && docker run -p 8080:80 nginx")]
    [InlineData("curl -u admin:*** https://api.internal")]
    [InlineData("curl -u admin:xxx https://api.internal")]
    [InlineData("curl -u user:your-password https://api.internal")]
    [InlineData("curl -u \"$USER:$TOKEN\" https://api.internal")]
    [InlineData("curl -u admin https://api.internal")]
    [InlineData("auth=(\"user\", \"pass\")")]
    [InlineData("auth=(username, password)")]
    [InlineData("auth = HTTPBasicAuth(\"admin\", os.environ[\"ADMIN_PASSWORD\"])")]
    [InlineData("https://user:pass@host.internal/")]
    [InlineData("Key,Value\nlogin.title,Sign in\n")]
    [InlineData("redis-cli -p 6379 -a \"$REDIS_PASSWORD\" ping")]
    [InlineData("redis-cli -n 2 --scan --pattern 'user:*'")]
    [InlineData("docker login -u \"$CI_REGISTRY_USER\" -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY")]
    [InlineData("docker run -p 5432:5432 -p 6379:6379 postgres && login-check -p Kx9mQ2vLp7")]
    [InlineData("hostname:port:database:username:password")]
    [InlineData("new NetworkCredential(user, password)")]
    [InlineData("Access key ID,Secret access key\nAKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")]
    public void Redact_PlaceholderOrReference_LeavesTextAlone(string text)
    {
        var result = _redactor.Redact(text);

        Assert.Empty(result.Findings);
        Assert.Equal(text, result.Text);
    }

    [Fact]
    public void Redact_CredentialsCsvWithManyRows_KeepsLinesUserNamesAndKeyIds()
    {
        var factory = new SecretSampleFactory(17);
        var rows = Enumerable.Range(0, 50).Select(i => factory.Expand($"user{i},{{{{pws}}}},{{{{awsid}}}},{{{{awssecret}}}},https://123456789012.signin.aws.amazon.com/console")).ToList();
        var text = "User name,Password,Access key ID,Secret access key,Console login link\n" + string.Join('\n', rows.Select(r => r.Text)) + "\n";

        var result = _redactor.Redact(text);

        Assert.Equal(text.Count(c => c == '\n'), result.Text.Count(c => c == '\n'));
        Assert.All(rows.SelectMany(r => r.Secrets), s => Assert.DoesNotContain(s, result.Text, StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Contains($"\nuser{i},{Generic},{Id},{Key},", result.Text, StringComparison.Ordinal));
    }
}
