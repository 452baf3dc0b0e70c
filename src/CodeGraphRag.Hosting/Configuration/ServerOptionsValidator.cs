using System.Net;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Hosting.Configuration;

/// <summary>
/// Validates <see cref="ServerOptions"/>: the values that could not be read, then the rules between keys; every failure is
/// collected with the key to set, and no secret is echoed.
/// </summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.UnreadableValues);
        if (options.Clustering == ClusteringKind.Redis && options.RedisConnectionString is null)
        {
            failures.Add("CodeGraphRag:Storage:Redis:ConnectionString is required when CodeGraphRag:Cluster:Clustering is Redis.");
        }

        if (options.MilvusConfigured != options.Neo4jConfigured)
        {
            failures.Add(UnpairedDistributedStores(options.MilvusConfigured));
        }

        if (options.AuthMode.HasFlag(AuthModes.ApiKey) && options.ApiKeys.Count == 0)
        {
            failures.Add("CodeGraphRag:Auth:Mode includes ApiKey but CodeGraphRag:Auth:ApiKeys lists no keys.");
        }

        if (options.AuthMode.HasFlag(AuthModes.Jwt))
        {
            ValidateJwt(options, failures);
        }

        if (options.AuthMode == AuthModes.None && !options.AllowAnonymous && (options.BindAddress is not { } bind || !IPAddress.IsLoopback(bind)))
        {
            // CGR: with no authentication every caller is an administrator: it may register server paths, sync and read
            // everything. That is only safe where nobody else can connect.
            failures.Add(
                $"CodeGraphRag:Auth:Mode is None but CodeGraphRag:Server:BindAddress is {(options.BindAddress is null ? "* (every interface)" : options.BindAddress.ToString())}: " +
                "anyone who can reach the server could register, index and read repositories. Configure CodeGraphRag:Auth:Mode " +
                "(ApiKey or Jwt), bind to loopback (127.0.0.1), or set CodeGraphRag:Auth:AllowAnonymous=true to accept this.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The failure when only one of Milvus and Neo4j is configured (<paramref name="milvusSet"/>: Milvus is the one).</summary>
    public static string UnpairedDistributedStores(bool milvusSet) =>
        "Milvus and Neo4j are used together: set both CodeGraphRag:Storage:Milvus:Url and CodeGraphRag:Storage:Neo4j:Url " +
        $"(only {(milvusSet ? "Milvus" : "Neo4j")} is set).";

    private static void ValidateJwt(ServerOptions options, List<string> failures)
    {
        var authority = options.JwtAuthority;
        var signingKey = options.JwtSigningKey;
        if (authority is null && signingKey is null)
        {
            failures.Add("CodeGraphRag:Auth:Mode includes Jwt: set CodeGraphRag:Auth:Jwt:Authority or CodeGraphRag:Auth:Jwt:SigningKey.");
        }

        if (signingKey is not null && signingKey.Length < 32)
        {
            failures.Add("CodeGraphRag:Auth:Jwt:SigningKey must be at least 32 characters (HS256 needs a 256-bit key).");
        }

        if (authority is null)
        {
            return;
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out _))
        {
            failures.Add($"CodeGraphRag:Auth:Jwt:Authority '{authority}' is not an absolute URL.");
        }
        else if (!authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && !ServerOptions.IsLoopbackHttp(authority))
        {
            // CGR: the authority's metadata carries the token signing keys; fetched over plain http, anyone on the path
            // could substitute their own. Plain http is accepted for a loopback authority only (development, tests).
            failures.Add(
                $"CodeGraphRag:Auth:Jwt:Authority '{authority}' must be an https URL (plain http only on a loopback host such as http://127.0.0.1:port).");
        }
    }
}
