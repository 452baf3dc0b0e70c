using System.Text.RegularExpressions;

namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>
/// The configuration contract the server and the deployment files share (section <c>CodeGraphRag</c>, environment form
/// <c>CodeGraphRag__Section__Key</c>), copied from the project's written contract. A setting the server does not read
/// is a silent misconfiguration, so every variable a manifest sets for the server must be one of these.
/// </summary>
internal static class ConfigurationContract
{
    /// <summary>Configuration keys; <c>{i}</c> stands for an array index.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "CodeGraphRag:Server:GrpcPort",
        "CodeGraphRag:Server:HttpPort",
        "CodeGraphRag:Server:BindAddress",
        "CodeGraphRag:Server:AllowedRoots",
        "CodeGraphRag:Server:AllowedRoots:{i}",
        "CodeGraphRag:Cluster:Clustering",
        "CodeGraphRag:Cluster:ClusterId",
        "CodeGraphRag:Cluster:ServiceId",
        "CodeGraphRag:Cluster:Roles",
        "CodeGraphRag:Cluster:SiloPort",
        "CodeGraphRag:Cluster:GatewayPort",
        "CodeGraphRag:Cluster:AdvertisedAddress",
        "CodeGraphRag:Storage:Embedded:DataDirectory",
        "CodeGraphRag:Storage:Redis:ConnectionString",
        "CodeGraphRag:Storage:Milvus:Url",
        "CodeGraphRag:Storage:Milvus:Token",
        "CodeGraphRag:Storage:Milvus:Database",
        "CodeGraphRag:Storage:Milvus:Collection",
        "CodeGraphRag:Storage:Milvus:Shards",
        "CodeGraphRag:Storage:Neo4j:Url",
        "CodeGraphRag:Storage:Neo4j:User",
        "CodeGraphRag:Storage:Neo4j:Password",
        "CodeGraphRag:Storage:Neo4j:Database",
        "CodeGraphRag:Embedding:Model",
        "CodeGraphRag:Embedding:Device",
        "CodeGraphRag:Embedding:IntraOpThreads",
        "CodeGraphRag:Auth:Mode",
        "CodeGraphRag:Auth:AllowAnonymous",
        "CodeGraphRag:Auth:ApiKeys:{i}:Key",
        "CodeGraphRag:Auth:ApiKeys:{i}:Principal",
        "CodeGraphRag:Auth:ApiKeys:{i}:Groups",
        "CodeGraphRag:Auth:Jwt:Authority",
        "CodeGraphRag:Auth:Jwt:Audience",
        "CodeGraphRag:Auth:Jwt:SigningKey",
        "CodeGraphRag:Auth:Jwt:GroupsClaim",
        "CodeGraphRag:Auth:AdminGroup",
        "CodeGraphRag:Webhooks:GitHubSecret",
        "CodeGraphRag:Webhooks:GitLabToken",
        "CodeGraphRag:Git:CacheDirectory",
    ];

    /// <summary>Variables outside the section that the contract names: the data directory and OpenTelemetry's own.</summary>
    public static readonly IReadOnlyList<string> OtherVariables = ["CGR_DATA_DIR", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"];

    private static readonly Regex[] Patterns = Keys
        .Select(k => new Regex("^" + Regex.Escape(k.Replace(":", "__", StringComparison.Ordinal)).Replace(@"\{i}", "[0-9]+", StringComparison.Ordinal) + "$"))
        .ToArray();

    public static bool IsServerVariable(string name) => OtherVariables.Contains(name) || Patterns.Any(p => p.IsMatch(name));

    /// <summary>
    /// Whether a variable holds a credential: its last <c>__</c> segment names a password, token, secret or key
    /// (so <c>ApiKeys__0__Principal</c> is not one, <c>ApiKeys__0__Key</c> is), or it is Neo4j's user/password pair.
    /// </summary>
    public static bool IsSensitive(string name)
    {
        var leaf = name[(name.LastIndexOf("__", StringComparison.Ordinal) is var i and >= 0 ? i + 2 : 0)..];
        return name == "NEO4J_AUTH" || new[] { "PASSWORD", "TOKEN", "SECRET", "KEY" }.Any(w => leaf.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
}
