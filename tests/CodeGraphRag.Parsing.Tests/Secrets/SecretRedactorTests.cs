using CodeGraphRag.Parsing.Secrets;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Secrets;

[Trait("Category", TestCategories.Unit)]
public sealed class SecretRedactorTests
{
    private readonly SecretRedactor _redactor = new();

    [Theory]
    [InlineData("aws_key = \"{{awsid}}\"", SecretRuleIds.AwsAccessKeyId)]
    [InlineData("aws_secret_access_key: {{awssecret}}", SecretRuleIds.AwsSecretAccessKey)]
    [InlineData("see ghp_{{b62:36}} in the log", SecretRuleIds.GitHubToken)]
    [InlineData("gho_{{b62:36}}", SecretRuleIds.GitHubToken)]
    [InlineData("remote: glpat-{{b62:20}}", SecretRuleIds.GitLabToken)]
    [InlineData("bot = Slack(\"xoxb-{{d:11}}-{{d:12}}-{{b62:24}}\")", SecretRuleIds.SlackToken)]
    [InlineData("url: https://hooks.slack.com/services/T{{U:8}}/B{{U:10}}/{{b62:24}}", SecretRuleIds.SlackWebhook)]
    [InlineData("Stripe(\"sk_live_{{b62:24}}\")", SecretRuleIds.StripeKey)]
    [InlineData("maps.load(\"AIza{{b62u:35}}\")", SecretRuleIds.GoogleApiKey)]
    [InlineData("client = OpenAI(\"sk-{{b62mix:48}}\")", SecretRuleIds.OpenAiApiKey)]
    [InlineData("fetch(\"npm_{{b62:36}}\")", SecretRuleIds.NpmToken)]
    [InlineData("call(\"{{jwt}}\")", SecretRuleIds.Jwt)]
    [InlineData("cs = \"Server=db;Database=x;Password={{pw}};\"", SecretRuleIds.ConnectionStringPassword)]
    [InlineData("open(\"postgres://app:{{b62:16}}@db/x\")", SecretRuleIds.UrlPassword)]
    [InlineData("DB_PASSWORD={{pw}}", SecretRuleIds.GenericSecret)]
    [InlineData("{{pem:RSA}}", SecretRuleIds.PrivateKey)]
    public void Redact_RuleSample_ReportsTheRuleAndRemovesTheValue(string template, string ruleId)
    {
        var (text, secrets) = new SecretSampleFactory(template.Length).Expand(template);

        var result = _redactor.Redact(text);

        Assert.Contains(ruleId, result.Findings);
        Assert.Contains($"[REDACTED:{ruleId}]", result.Text, StringComparison.Ordinal);
        Assert.All(secrets, s => Assert.DoesNotContain(s, result.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api_key = \"a1B2c3D4e5F6g7H8i9J0\"", "api_key = \"[REDACTED:generic-secret]\"")]
    [InlineData("\"password\": \"Kx9!mQ2#vL\"", "\"password\": \"[REDACTED:generic-secret]\"")]
    [InlineData("PASSWORD=Kx9!mQ2#vL", "PASSWORD=[REDACTED:generic-secret]")]
    [InlineData("token := `a1B2c3D4e5F6g7H8i9J0`", "token := `[REDACTED:generic-secret]`")]
    [InlineData("Authorization: Bearer a1B2c3D4e5F6g7H8i9J0", "Authorization: Bearer [REDACTED:generic-secret]")]
    [InlineData("url = \"https://bob:Kx9mQ2vLp@example.org/x\"", "url = \"https://bob:[REDACTED:url-password]@example.org/x\"")]
    public void Redact_Assignment_ReplacesOnlyTheValue(string text, string expected)
    {
        Assert.Equal(expected, _redactor.Redact(text).Text);
    }

    [Fact]
    public void Redact_NothingFound_ReturnsSameInstanceAndNoFindings()
    {
        const string text = "def add(a, b):\n    return a + b\n";

        var result = _redactor.Redact(text);

        Assert.Same(text, result.Text);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Redact_PrivateKeyBlock_RedactsWholeBlockAndKeepsLineNumbers()
    {
        var (key, secrets) = new SecretSampleFactory(5).Expand("{{pem:RSA}}");
        var text = "before = 1\n" + key + "\nafter = 2\n";

        var result = _redactor.Redact(text);

        Assert.Equal([SecretRuleIds.PrivateKey], result.Findings);
        Assert.StartsWith("before = 1\n[REDACTED:private-key]\n", result.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nafter = 2\n", result.Text, StringComparison.Ordinal);
        Assert.Equal(text.Split('\n').Length, result.Text.Split('\n').Length);
        Assert.DoesNotContain("BEGIN RSA PRIVATE KEY", result.Text, StringComparison.Ordinal);
        Assert.All(secrets, s => Assert.DoesNotContain(s, result.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Redact_ChunkSplitInsideKey_RedactsBothHalves()
    {
        var (key, secrets) = new SecretSampleFactory(6).Expand("{{pem:OPENSSH}}");
        var lines = key.Split('\n');
        var head = "x = 1\n" + string.Join('\n', lines[..4]);
        var tail = string.Join('\n', lines[4..]) + "\ny = 2";

        var headResult = _redactor.Redact(head);
        var tailResult = _redactor.Redact(tail);

        Assert.Equal([SecretRuleIds.PrivateKey], headResult.Findings);
        Assert.Equal([SecretRuleIds.PrivateKey], tailResult.Findings);
        Assert.StartsWith("x = 1\n", headResult.Text, StringComparison.Ordinal);
        Assert.EndsWith("\ny = 2", tailResult.Text, StringComparison.Ordinal);
        Assert.All(secrets, s =>
        {
            Assert.DoesNotContain(s, headResult.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(s, tailResult.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Redact_TwoSecretsOnOneLine_ReportsOneFindingEach()
    {
        var (text, _) = new SecretSampleFactory(7).Expand("{\"password\": \"{{pw}}\", \"api_key\": \"{{b62:32}}\", \"user\": \"bob\"}");

        var result = _redactor.Redact(text);

        Assert.Equal([SecretRuleIds.GenericSecret, SecretRuleIds.GenericSecret], result.Findings);
        Assert.Contains("\"user\": \"bob\"", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_OverlappingRules_MergeIntoOneMarkerWithTheSpecificRule()
    {
        var (text, secrets) = new SecretSampleFactory(8).Expand("GITHUB_TOKEN = \"ghp_{{b62:36}}\"");

        var result = _redactor.Redact(text);

        Assert.Equal([SecretRuleIds.GitHubToken], result.Findings);
        Assert.Equal("GITHUB_TOKEN = \"[REDACTED:github-token]\"", result.Text);
        Assert.DoesNotContain(secrets[0], result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_AlreadyRedactedText_IsUnchanged()
    {
        var factory = new SecretSampleFactory(9);
        var text = string.Join('\n', SecretSamples.Positives.Select(p => factory.Expand(p.Template).Text));
        var once = _redactor.Redact(text).Text;

        var twice = _redactor.Redact(once);

        Assert.Equal(once, twice.Text);
        Assert.Empty(twice.Findings);
    }

    [Fact]
    public void Redact_LongTextWithoutSecrets_IsUnchanged()
    {
        var line = "    result = compute_token_count(items, limit=limit) + offset  # auth check happens upstream\n";
        var text = string.Concat(Enumerable.Repeat(line, 2_000));

        var result = _redactor.Redact(text);

        Assert.Same(text, result.Text);
    }

    [Fact]
    public void Version_DefaultAndCustomOptions_Differ()
    {
        var custom = new SecretRedactor(new SecretRedactorOptions { TokenMinEntropy = 3.5 });

        Assert.Equal("secrets-2", _redactor.Version);
        Assert.NotEqual(_redactor.Version, custom.Version);
    }
}
