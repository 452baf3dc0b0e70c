using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>The source-generated expressions behind the rules. Every quantifier is bounded and every match has a timeout.</summary>
internal static partial class SecretPatterns
{
    public const int TimeoutMs = 1000;
    private const RegexOptions Common = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private const string AssignmentPattern = """
        \G
        (?<q>["'`]?)
        (?<name>[A-Za-z_$@][\w$.\-]{0,100})
        \k<q>
        \]?
        (?:
            (?:[ \t]*:[ \t]*[\w.<>\[\]?|&*]{1,40}[ \t]*|[ \t]+[A-Za-z_][\w.\[\]*]{0,40}[ \t]*|[ \t]*)(?<op>:=|\?=|\|\|=|=(?![=>~]))
          | [ \t]*(?<op>=>|:(?![:=])|<-|,|\()
        )
        [ \t]*
        (?<prefix>(?:[Bb]earer|[Bb]asic|[Tt]oken)[ \t]+)?
        (?:
            (?<sp>[rRbBuUfF]{1,2}|@|\$)?(?<quote>["'`])(?<qv>(?:(?!\k<quote>)[^\\\r\n]|\\.){0,500})\k<quote>
          | (?<bv>[^\s"'`,;)}\]]{1,500})
        )
        """;

    [GeneratedRegex(@"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----", Common, TimeoutMs)]
    public static partial Regex PrivateKeyBegin();

    [GeneratedRegex(@"-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----", Common, TimeoutMs)]
    public static partial Regex PrivateKeyEnd();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<v>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16})(?![A-Za-z0-9])", Common, TimeoutMs)]
    public static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i:aws)[\w.\-]{0,30}?(?i:secret)[\w.\-]{0,30}?[""'`]?[ \t]*(?::=|=>|=|:)[ \t]*[""'`]?(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", Common, TimeoutMs)]
    public static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<v>gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})(?![A-Za-z0-9_])", Common, TimeoutMs)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?<v>glpat-[A-Za-z0-9_\-]{20,64})(?![A-Za-z0-9_\-])", Common, TimeoutMs)]
    public static partial Regex GitLabToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<v>xox[abposre]-[A-Za-z0-9\-]{10,250})", Common, TimeoutMs)]
    public static partial Regex SlackToken();

    [GeneratedRegex(@"(?<v>https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+\-]{16,250})", Common, TimeoutMs)]
    public static partial Regex SlackWebhook();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<v>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,100})(?![A-Za-z0-9])", Common, TimeoutMs)]
    public static partial Regex StripeKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?<v>AIza[0-9A-Za-z_\-]{35})(?![A-Za-z0-9_\-])", Common, TimeoutMs)]
    public static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?<v>sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)[0-9]{2}-)?(?<body>[A-Za-z0-9_\-]{32,200}))(?![A-Za-z0-9_\-])", Common, TimeoutMs)]
    public static partial Regex OpenAiApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<v>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])", Common, TimeoutMs)]
    public static partial Regex NpmToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?<v>eyJ[A-Za-z0-9_\-]{10,4000}\.eyJ[A-Za-z0-9_\-]{10,8000}\.[A-Za-z0-9_\-]{16,2000})", Common, TimeoutMs)]
    public static partial Regex Jwt();

    [GeneratedRegex(
        @"(?<![\w])(?i:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)[ \t]*=[ \t]*(?<v>'[^'\r\n]{1,200}'|""[^""\r\n]{1,200}""|\{[^}\r\n]{1,200}\}|[^;'""\s]{1,200})",
        Common, TimeoutMs)]
    public static partial Regex ConnectionStringPassword();

    [GeneratedRegex(
        @"(?i:server|host|hostname|data source|datasource|database|initial catalog|user id|userid|uid|user|username|port|accountname|endpoint|defaultendpointsprotocol|sslmode|trusted_connection|driver)[ \t]*=",
        Common, TimeoutMs)]
    public static partial Regex ConnectionStringKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,30}://(?<user>[^:/?#@\s""'`<>]{0,100}):(?<v>[^@/?#\s""'`<>]{1,200})@[A-Za-z0-9.\-_\[\]]{1,200}", Common, TimeoutMs)]
    public static partial Regex UrlPassword();

    /// <summary>name (op) value, in the forms of many languages, anchored where the scan starts; validated in code (keyword in name, value heuristics).</summary>
    [GeneratedRegex(AssignmentPattern, Common | RegexOptions.IgnorePatternWhitespace, TimeoutMs)]
    public static partial Regex Assignment();

    /// <summary>SQL: CREATE USER ... WITH PASSWORD '...', IDENTIFIED BY '...'.</summary>
    [GeneratedRegex(@"(?i:\bWITH[ \t]+(?:ENCRYPTED[ \t]+)?PASSWORD|\bIDENTIFIED[ \t]+BY|\bPASSWORD)[ \t]+'(?<qv>[^'\r\n]{1,200})'", Common, TimeoutMs)]
    public static partial Regex SqlPassword();

    [GeneratedRegex(@"<(?<name>[A-Za-z_][\w.\-:]{0,60})>(?<qv>[^<>\r\n]{1,300})</\k<name>>", Common, TimeoutMs)]
    public static partial Regex XmlElement();

    [GeneratedRegex(@"\bkey[ \t]*=[ \t]*""(?<name>[^""\r\n]{1,80})""[ \t]+value[ \t]*=[ \t]*""(?<qv>[^""\r\n]{0,500})""", Common, TimeoutMs)]
    public static partial Regex XmlAddKey();

    [GeneratedRegex(@"^v?[0-9]+(?:\.[0-9]+){1,3}(?:[\-+][\w.\-]+)?$", Common, TimeoutMs)]
    public static partial Regex Version();

    /// <summary>i18n keys and dotted names without digits: auth.login.failed.</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z_\-]*(?:\.[A-Za-z_][A-Za-z_\-]*)+$", Common, TimeoutMs)]
    public static partial Regex DottedIdentifier();

    /// <summary>Member access in code on a lower-case receiver: settings.api_key2, self.token1 (not Abcd1.Efgh2, a password).</summary>
    [GeneratedRegex(@"^[a-z_$][a-z0-9_$]*(?:\.[A-Za-z_$][\w$]*)+$", Common, TimeoutMs)]
    public static partial Regex MemberAccess();

    [GeneratedRegex(@"^[A-Za-z]+(?:[_\-][A-Za-z]+)+$", Common, TimeoutMs)]
    public static partial Regex SeparatedWords();

    [GeneratedRegex(@"^[A-Z]?[a-z]+[.!?:]?$", Common, TimeoutMs)]
    public static partial Regex PlainWord();

    /// <summary>camelCase or PascalCase words without digits: names of things, not secrets (AWSSecretKey, kmsPswd, LastEvaluatedTableName).</summary>
    [GeneratedRegex(@"^(?:[A-Z]{1,5}[a-z]+|[a-z]+)(?:[A-Z]{1,5}[a-z]+)+[A-Z]{0,5}$", Common, TimeoutMs)]
    public static partial Regex CamelCaseWords();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", Common, TimeoutMs)]
    public static partial Regex Uuid();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+\-][0-9:]+)?)?$", Common, TimeoutMs)]
    public static partial Regex IsoDate();

    /// <summary>A run of 40 base64 characters: what separates key material from prose that mentions a key's markers.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+/=]{40}", Common, TimeoutMs)]
    public static partial Regex Base64Run();

    [GeneratedRegex(@"^[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)+/?$", Common, TimeoutMs)]
    public static partial Regex LowercasePath();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", Common, TimeoutMs)]
    public static partial Regex Email();

    [GeneratedRegex(@"^sha(?:1|256|384|512)-[A-Za-z0-9+/=]+$", Common, TimeoutMs)]
    public static partial Regex IntegrityHash();

    [GeneratedRegex(@"\.(?:pem|key|crt|cer|der|json|txt|ya?ml|p12|pfx|jks|env|cfg|ini|conf|properties|toml|xml|gpg|asc)$", Common | RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex FileExtension();
}
