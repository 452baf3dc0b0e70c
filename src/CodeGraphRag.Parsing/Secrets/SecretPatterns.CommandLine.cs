using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Expressions of the command-line password and basic-auth rules.</summary>
internal static partial class SecretPatterns
{
    /// <summary>A MySQL or MariaDB client on the line (their <c>-p</c> takes the password).</summary>
    [GeneratedRegex(@"(?<![\w.\-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin|mariadb-import|mariadb-check)(?![\w\-])", Common, TimeoutMs)]
    public static partial Regex MysqlClient();

    /// <summary><c>-pPASS</c>, <c>-p'PASS'</c> (attached: the value is the password) or <c>-p PASS</c> (spaced: judged as a bare word).</summary>
    [GeneratedRegex(@"(?<=[\s""'\[,])-p(?:(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}""|[^\s""'`,\])|;&<>]{1,200})|[ \t]+(?<sv>[^\s""'`,\])|;&<>]{1,200}))", Common, TimeoutMs)]
    public static partial Regex MysqlPassword();

    /// <summary><c>--password=PASS</c>, <c>--password PASS</c>, <c>--http-password=PASS</c> of any command-line tool.</summary>
    [GeneratedRegex(@"(?<![\w\-])--(?:[a-z]+-)?password(?:=(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}""|[^\s""'`,;|&<>]{1,200})|[ \t]+(?:(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}"")|(?<sv>[^\s""'`,;|&<>\-][^\s""'`,;|&<>]{0,199})))", Common, TimeoutMs)]
    public static partial Regex LongPasswordOption();

    /// <summary><c>sshpass -p PASS</c>, <c>sshpass -pPASS</c>, <c>sshpass -p 'PASS'</c>.</summary>
    [GeneratedRegex(@"(?<![\w\-])sshpass(?:[ \t]+-[A-Za-oq-z][^\s]{0,100})*[ \t]+-p[ \t]*(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}""|[^\s""'`;|&<>]{1,200})", Common, TimeoutMs)]
    public static partial Regex SshpassPassword();

    /// <summary><c>curl -u user:PASS</c>, <c>--user "user:PASS"</c>, <c>-uuser:PASS</c> (a <c>curl</c> on the line is checked by the caller).</summary>
    [GeneratedRegex(@"(?<=[\s""'])(?:-u[ \t]*|--user(?:[ \t]+|=))(?<q>[""']?)(?<user>[^\s:""'$`]{0,100}):(?<v>[^\s""'`]{1,200})\k<q>(?=[\s;|&)]|$)", Common, TimeoutMs)]
    public static partial Regex CurlUserPassword();

    /// <summary>A <c>redis-cli</c> on the line (its <c>-a</c>/<c>--pass</c> takes the password).</summary>
    [GeneratedRegex(@"(?<![\w.\-])redis-cli(?![\w\-])", Common, TimeoutMs)]
    public static partial Regex RedisClient();

    /// <summary><c>-a PASS</c>, <c>-a 'PASS'</c>, <c>--pass PASS</c> after a <c>redis-cli</c>.</summary>
    [GeneratedRegex(@"(?<=\s)(?:-a|--pass)[ \t]+(?:(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}"")|(?<sv>[^\s""'`,;|&<>\-][^\s""'`,;|&<>]{0,199}))", Common, TimeoutMs)]
    public static partial Regex RedisPassword();

    /// <summary>A registry login on the line: <c>docker login</c>, <c>podman login</c>, <c>buildah login</c>, <c>nerdctl login</c>, <c>helm registry login</c>.</summary>
    [GeneratedRegex(@"(?<![\w\-])(?:docker|podman|buildah|nerdctl|helm[ \t]+registry)[ \t]+login(?![\w\-])", Common, TimeoutMs)]
    public static partial Regex RegistryLogin();

    /// <summary><c>-p PASS</c>, <c>-p=PASS</c>, <c>-p 'PASS'</c> after a registry login (there <c>-p</c> is always the password).</summary>
    [GeneratedRegex(@"(?<=\s)-p(?:=(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}""|[^\s""'`,;|&<>]{1,200})|[ \t]+(?:(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}"")|(?<sv>[^\s""'`,;|&<>\-][^\s""'`,;|&<>]{0,199})))", Common, TimeoutMs)]
    public static partial Regex RegistryPassword();

    /// <summary>
    /// A PostgreSQL password file line, <c>host:port:database:user:password</c> (port digits or <c>*</c>), alone on its line or
    /// quoted (as in <c>echo "..." &gt; ~/.pgpass</c>).
    /// </summary>
    [GeneratedRegex(@"(?<![^\s""'`>])(?<host>[A-Za-z0-9*][\w.\-*]{0,253}):(?<port>\d{1,5}|\*):(?<db>[^:\s""'`]{1,100}):(?<user>[^:\s""'`]{1,100}):(?<v>[^\s""'`]{1,200})(?=[\s""'`]|$)", Common, TimeoutMs)]
    public static partial Regex PgpassLine();

    /// <summary><c>new NetworkCredential("user", "PASS")</c> (optionally with a domain) in C#, VB or PowerShell.</summary>
    [GeneratedRegex(@"NetworkCredential[ \t]*\([ \t]*@?""(?<user>[^""\r\n]{0,100})""[ \t]*,[ \t]*@?""(?<v>[^""\r\n]{1,200})""", Common, TimeoutMs)]
    public static partial Regex NetworkCredentialPair();

    /// <summary>A user/password pair of literals: <c>auth=("u", "p")</c>, <c>session.auth = ['u', 'p']</c>, <c>HTTPBasicAuth("u", "p")</c>, <c>SetBasicAuth("u", "p")</c>.</summary>
    [GeneratedRegex(@"(?i:(?<![\w])[\w.]{0,60}?auth[ \t]*[=:][ \t]*[(\[]|(?:basic|digest)_?auth[ \t]*\()[ \t]*(?<uq>[""'])(?<user>[^""'\r\n]{0,100})\k<uq>[ \t]*,[ \t]*(?<pq>[""'])(?<v>[^""'\r\n]{1,200})\k<pq>[ \t]*[)\]]", Common, TimeoutMs)]
    public static partial Regex BasicAuthPair();
}
