namespace CodeGraphRag.Parsing.Tests.Secrets;

/// <summary>
/// A second held-out set, for credentials that are found by their shape and context rather than by a secret word beside
/// them (issue 17): AWS secret keys beside their access key id or under a CSV header, password arguments of command-line
/// tools, <c>*_PASS</c>/<c>*_KEY</c> variables in shell, dotenv and Dockerfiles, basic-auth pairs in code, and credentials
/// in URLs. It was written and committed before the rules for those shapes, and is never used to tune them; the hard
/// negatives are the look-alikes those rules must leave alone (placeholders, variable references, prompts, ports, public
/// fingerprints, documentation examples).
/// </summary>
internal static class SecretContextHeldOutSamples
{
    public static readonly (string Format, string Template)[] Positives =
    [
        ("csv", "Access key ID,Secret access key\n{{awsid}},{{awssecret}}\n"),
        ("csv", "User name,Password,Access key ID,Secret access key,Console login link\nci-bot,{{pw}},{{awsid}},{{awssecret}},https://123456789012.signin.aws.amazon.com/console\n"),
        ("markdown", "| Setting | Value |\n|---|---|\n| Access key | `{{awsid}}` |\n| Secret key | `{{awssecret}}` |"),
        ("markdown", "For the demo bucket use {{awsid}} / {{awssecret}} (read-only)."),
        ("console", "$ aws configure\nAWS Access Key ID [None]: {{awsid}}\nAWS Secret Access Key [None]: {{awssecret}}\nDefault region name [None]: eu-west-1"),
        ("python", "session = boto3.Session(\"{{awsid}}\", \"{{awssecret}}\")"),
        ("java", "AWSCredentials creds = new BasicAWSCredentials(\"{{awsid}}\",\n        \"{{awssecret}}\");"),
        ("json", "{\n    \"AccessKey\": {\n        \"UserName\": \"ci\",\n        \"AccessKeyId\": \"{{awsid}}\",\n        \"Status\": \"Active\",\n        \"SecretAccessKey\": \"{{awssecret}}\"\n    }\n}"),
        ("shell", "mysql -h db.internal -u app -p{{pws}} app_production < schema.sql"),
        ("shell", "mysqldump -uroot -p'{{pw}}' --all-databases > all.sql"),
        ("shell", "mariadb --user=app --password={{pws}} -e \"SHOW TABLES\" app"),
        ("yaml", "    healthcheck:\n      test: [\"CMD\", \"mysqladmin\", \"ping\", \"-h\", \"localhost\", \"-uroot\", \"-p{{pws}}\"]"),
        ("yaml", "      - run: mysql -uroot -p{{pws}} -e 'CREATE DATABASE test_db'"),
        ("shell", "curl -s -u deploy:{{pws}} -X POST https://ci.internal/job/build/build"),
        ("shell", "curl --user \"admin:{{pw}}\" https://nexus.internal/service/rest/v1/status"),
        ("shell", "sshpass -p '{{pw}}' scp build.tar.gz deploy@10.0.0.5:/srv/"),
        ("shell", "redis-cli -h cache -a {{b62:24}} ping"),
        ("shell", "docker login -u ci -p {{b62:32}} registry.gitlab.com"),
        ("shell", "export DB_PASS='{{pw}}'"),
        ("shell", "export MAILGUN_KEY=key-{{hex:32}}"),
        ("dotenv", "REDIS_PASS={{b62:20}}"),
        ("dotenv", "SMTP_PASS=\"{{pw}}\""),
        ("dotenv", "APP_KEY=base64:{{b64:43}}="),
        ("dockerfile", "ENV RABBITMQ_DEFAULT_PASS={{pws}}"),
        ("dockerfile", "ENV ADMIN_PASS {{pws}}"),
        ("powershell", "$env:DB_PASS = \"{{pw}}\""),
        ("python", "resp = requests.post(url, json=body, auth=(\"api\", \"{{b62:24}}\"))"),
        ("python", "session.auth = ('jenkins', '{{pw}}')"),
        ("python", "client = Jira(server, basic_auth=HTTPBasicAuth('svc-reporting', '{{pw}}'))"),
        ("python", "async with aiohttp.ClientSession(auth=aiohttp.BasicAuth(\"admin\", \"{{pw}}\")) as s:"),
        ("go", "req.SetBasicAuth(\"admin\", \"{{pw}}\")"),
        ("csharp", "handler.Credentials = new NetworkCredential(\"svc-build\", \"{{pw}}\");"),
        ("ini", "[global]\nindex-url = https://__token__:{{b62:32}}@gitlab.com/api/v4/projects/42/packages/pypi/simple"),

        // Added 2026-12-05, before the rules for these shapes: .pgpass lines, redis-cli -a, docker login -p, NetworkCredential.
        ("pgpass", "db.internal:5432:app_production:app:{{pws}}"),
        ("shell", "echo \"localhost:5432:*:postgres:{{pws}}\" > ~/.pgpass && chmod 600 ~/.pgpass"),
        ("shell", "redis-cli -h cache.internal -a {{pws}} --no-auth-warning ping"),
        ("shell", "redis-cli -a '{{pw}}' -n 3 FLUSHDB"),
        ("shell", "docker login -u ci-bot -p {{pws}} registry.internal:5000"),
        ("yaml", "      - run: docker login registry.gitlab.com -u gitlab-ci-token -p {{pws}}"),
        ("csharp", "var creds = new System.Net.NetworkCredential(\"svc-reports\", \"{{pw}}\", \"CORP\");"),
    ];

    public static readonly (string Format, string Template)[] Negatives =
    [
        ("shell", "export DB_PASS=$DB_PASS_FROM_VAULT"),
        ("shell", "export DB_PASS=\"${DB_PASS:-}\""),
        ("shell", "export API_TOKEN=$(cat /run/secrets/api_token)"),
        ("shell", "mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\" -e 'select 1'"),
        ("shell", "mysql -h \"$DB_HOST\" -u \"$DB_USER\" -p\"${DB_PASSWORD}\" \"$DB_NAME\""),
        ("shell", "mysql -u root -p app_production < dump.sql"),
        ("shell", "mysql -u$DB_USER -p$DB_PASS $DB_NAME"),
        ("markdown", "Pass the password right after `-p` with no space: `mysql -u root -p<password>`."),
        ("shell", "mysqldump --password --single-transaction app > app.sql"),
        ("shell", "curl -u \"$GITHUB_USER:$GITHUB_TOKEN\" https://api.github.com/user"),
        ("shell", "curl -u admin https://jenkins.internal/api/json"),
        ("shell", "curl -u \"${JENKINS_USER}:${JENKINS_TOKEN}\" \"$JENKINS_URL/job/x/build\""),
        ("shell", "curl -u username:your-password https://api.example.com/v1/me"),
        ("shell", "curl -u admin:<password> https://localhost:9200/_cluster/health"),
        ("shell", "sshpass -p \"$SSHPASS\" ssh -o StrictHostKeyChecking=no deploy@host"),
        ("shell", "sshpass -e ssh deploy@10.0.0.5"),
        ("shell", "ssh -p 2222 deploy@bastion.internal"),
        ("shell", "docker run -d -p 8080:80 -p 8443:443 nginx:1.25"),
        ("shell", "mkdir -p build/out && cp -p src/app.py build/out/"),
        ("shell", "psql -h localhost -p 5432 -U postgres -d app"),
        ("shell", "redis-cli -p 6379 -n 2 ping"),
        ("shell", "mysql -uroot -p*** app"),
        ("shell", "docker login -u ci --password-stdin registry.gitlab.com < token.txt"),
        ("dockerfile", "ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D"),
        ("shell", "export SSH_KEY_PATH=~/.ssh/id_ed25519"),
        ("shell", "export NPM_TOKEN=${{ secrets.NPM_TOKEN }}"),
        ("dotenv", "DB_PASS=changeme"),
        ("dotenv", "DB_PASS="),
        ("dotenv", "SECRET_KEY=your-secret-key-here"),
        ("dotenv", "API_TOKEN=xxxxxxxxxxxxxxxx"),
        ("shell", "export DB_PASSWORD=<password>"),
        ("dotenv", "ADMIN_PASS=***"),
        ("shell", "export CACHE_KEY=\"pip-v2-py311\""),
        ("shell", "export BYPASS_CACHE=1"),
        ("dockerfile", "ENV PASSENGER_VERSION=6.0.19"),
        ("shell", "export TOKEN_TTL=3600"),
        ("shell", "export API_KEY_FILE=/run/secrets/api_key"),
        ("shell", "export DB_PASS DB_USER"),
        ("csv", "Access key ID,Secret access key\nAKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
        ("text", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE  # rotated in {{sha1}}"),
        ("csv", "name,secret_ref\napi,projects/{{d:6}}/secrets/api-key/versions/latest\n"),
        ("python", "resp = requests.get(url, auth=(username, password))"),
        ("python", "resp = requests.get(url, auth=(\"user\", \"pass\"))"),
        ("python", "auth = HTTPBasicAuth(settings.API_USER, settings.API_PASSWORD)"),
        ("python", "r = session.get(url, auth=(\"admin\", os.environ[\"ADMIN_PASSWORD\"]))"),
        ("python", "auth=(\"__token__\", token)"),
        ("python", "parser.add_argument(\"-p\", \"--password\", help=\"database password\")"),
        ("python", "url = \"https://%s:%s@%s/\" % (user, password, host)"),
        ("text", "git@github.com:org/repo.git"),
        ("go", "req.SetBasicAuth(user, pass)"),

        // Added 2026-12-05 with the positives above.
        ("shell", "redis-cli -a \"$REDIS_PASSWORD\" ping"),
        ("shell", "docker login -u \"$CI_REGISTRY_USER\" -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY"),
        ("markdown", "Each line of `~/.pgpass` reads `hostname:port:database:username:password`."),
        ("shell", "echo \"*:*:*:postgres:$PGPASSWORD\" > ~/.pgpass"),
        ("csharp", "var creds = new NetworkCredential(user, password);"),
        ("csharp", "var creds = new NetworkCredential(\"smtp\", Environment.GetEnvironmentVariable(\"SMTP_PASS\"));"),
        ("log", "2026-12-05 10:30:45:123:INFO started"),
    ];
}
