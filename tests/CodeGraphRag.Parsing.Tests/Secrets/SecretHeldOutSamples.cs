namespace CodeGraphRag.Parsing.Tests.Secrets;

/// <summary>
/// Samples written after the rules were tuned on <see cref="SecretSamples"/> and measured once before any change, so their
/// rates estimate behaviour on unseen code. Includes forms the rules knowingly do not cover (SQL <c>PASSWORD '...'</c>,
/// <c>-p&lt;password&gt;</c>, Makefile <c>?=</c>, .pgpass).
/// </summary>
internal static class SecretHeldOutSamples
{
    public static readonly (string Format, string Template)[] Positives =
    [
        ("scala", "val dbPassword = \"{{pw}}\""),
        ("elixir", "config :app, api_key: \"{{b62:32}}\""),
        ("perl", "my $password = '{{pw}}';"),
        ("powershell", "$env:API_TOKEN = \"{{b62:32}}\""),
        ("lua", "local secret = \"{{b62:24}}\""),
        ("dart", "const String apiKey = '{{b62:32}}';"),
        ("cpp", "const char* kApiKey = \"{{b62:32}}\";"),
        ("objc", "NSString *const kClientSecret = @\"{{b62:32}}\";"),
        ("r", "Sys.setenv(OPENAI_KEY = \"sk-{{b62mix:48}}\")"),
        ("makefile", "DOCKER_PASSWORD ?= {{pw}}"),
        ("yaml", "      - uses: docker/login-action@v3\n        with:\n          password: {{pw}}"),
        ("yaml", "auth:\n  adminPassword: \"{{pw}}\""),
        ("python", "payload = {\"token\": \"{{b62:40}}\"}"),
        ("javascript", "module.exports = {\n  secret: '{{b62:24}}',\n};"),
        ("sql", "CREATE USER app WITH PASSWORD '{{pw}}';"),
        ("sql", "ALTER LOGIN sa WITH PASSWORD = '{{pw}}';"),
        ("shell", "mysql -u root -p{{pw}} app < dump.sql"),
        ("pgpass", "db.internal:5432:app:app:{{pw}}"),
        ("shell", "docker run -e POSTGRES_PASSWORD={{pw}} postgres:16"),
        ("shell", "curl -u admin:{{pw}} https://api.internal/v1/users"),
        ("csharp", "client.DefaultRequestHeaders.Add(\"X-Api-Token\", \"{{b62:32}}\");"),
        ("go", "req.Header.Set(\"Authorization\", \"Bearer {{b62:40}}\")"),
        ("kotlin", "const val SLACK_TOKEN = \"xoxp-{{d:12}}-{{d:12}}-{{d:12}}-{{hex:32}}\""),
        ("php", "define('DB_PASSWORD', '{{pw}}');"),
        ("yaml", "aws_secret_access_key: {{awssecret}}"),
        ("json", "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{{b64:64}}\\n{{b64:64}}\\n{{b64:30}}\\n-----END PRIVATE KEY-----\\n\"}"),
        ("json", "{\"client_id\":\"web\",\"client_secret\":\"{{b62:24}}\"}"),
        ("ruby", "ENV[\"STRIPE_KEY\"] ||= \"sk_live_{{b62:24}}\""),
        ("swift", "let jwt = \"{{jwt}}\""),
        ("java", "ds.setPassword(\"{{pw}}\");"),
    ];

    public static readonly (string Format, string Template)[] Negatives =
    [
        ("ruby", "password_confirmation = params[:password_confirmation]"),
        ("python", "if len(password) < MIN_PASSWORD_LENGTH:"),
        ("python", "token = jwt.encode(payload, settings.SECRET_KEY, algorithm=\"HS256\")"),
        ("shell", "export GITHUB_TOKEN=$(gh auth token)"),
        ("python", "password = getpass.getpass(\"Password: \")"),
        ("javascript", "const { token } = await response.json();"),
        ("python", "@app.route(\"/api/token\", methods=[\"POST\"])"),
        ("python", "secret_arn = \"arn:aws:secretsmanager:us-east-1:{{d:12}}:secret:prod/db-AbCdEf\""),
        ("json", "\"resolved\": \"https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz\""),
        ("python", "digest = hashlib.sha256(token.encode()).hexdigest()"),
        ("python", "AUTH_USER_MODEL = \"accounts.User\""),
        ("python", "TOKEN_RE = re.compile(r\"[A-Za-z0-9_]{32,}\")"),
        ("json", "\"password\": {\"type\": \"string\", \"minLength\": 8}"),
        ("javascript", "  password: { type: String, required: true, select: false },"),
        ("xaml", "<PasswordBox x:Name=\"PasswordInput\" />"),
        ("c", "#define MAX_TOKEN_LEN 256"),
        ("python", "api_key_header = APIKeyHeader(name=\"X-API-Key\")"),
        ("yaml", "ssh_private_key_path: ~/.ssh/id_rsa"),
        ("python", "client_secret = \"${CLIENT_SECRET}\""),
        ("python", "sha = \"{{sha1}}\"  # pinned commit for the auth module"),
        ("python", "uuid_token_prefix = \"tok_\""),
        ("python", "expected_token_count = 1024"),
        ("python", "DEFAULT_PASSWORD_HASHERS = [\"django.contrib.auth.hashers.PBKDF2PasswordHasher\"]"),
        ("python", "token = secrets.token_urlsafe(32)"),
        ("json", "\"integrity\": \"sha256-{{b64:43}}=\""),
        ("python", "version = \"2.31.0\"  # requests, for auth fixes"),
        ("python", "pwd = os.getcwd()"),
        ("dotenv", "PASSWD_FILE=/etc/passwd"),
        ("python", "# Set password to your own value before deploying."),
        ("python", "api_version = \"2023-10-01\""),
    ];
}
