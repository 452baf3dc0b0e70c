namespace CodeGraphRag.Api.Auth;

/// <summary>Claim types the authentication handlers put on the principal.</summary>
internal static class ServerClaims
{
    public const string Principal = "cgr:principal";

    public const string Group = "cgr:group";

    public const string ApiKeyScheme = "ApiKey";

    public const string SelectorScheme = "CgrAuth";

    public const string ApiKeyHeader = "x-api-key";
}
