using System.Globalization;
using System.Net;
using CodeGraphRag.Storage.Redis;
using Microsoft.Extensions.Configuration;

namespace CodeGraphRag.Hosting.Configuration;

/// <summary>
/// Everything a server host reads from the <c>CodeGraphRag</c> configuration section (read by
/// <see cref="ServerOptionsSetup"/>, checked by <see cref="ServerOptionsValidator"/>); the defaults are the documented ones.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CodeGraphRag";

    public int GrpcPort { get; set; } = 5000;

    public int HttpPort { get; set; } = 8080;

    /// <summary>Address Kestrel listens on: loopback unless configured; null (configured as <c>*</c>) means every interface.</summary>
    public IPAddress? BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Folders under which callers may register server paths (<c>local_path</c>), each absolute with <c>..</c> and symbolic
    /// links resolved; empty (the default) allows git URLs only.
    /// </summary>
    public IReadOnlyList<string> AllowedRoots { get; set; } = [];

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    public string ClusterId { get; set; } = "codegraphrag";

    public string ServiceId { get; set; } = "codegraphrag";

    public SiloRoles Roles { get; set; } = SiloRoles.All;

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public IPAddress? AdvertisedAddress { get; set; }

    /// <summary>The embedded stores' folder (see <see cref="Hosting.DataDirectory.Resolve"/> for the default).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    public bool ReadOnlyStore { get; set; }

    /// <summary>Whether <c>CodeGraphRag:Storage:Milvus:Url</c> is set (the Milvus options themselves are the adapter's).</summary>
    public bool MilvusConfigured { get; set; }

    /// <summary>Whether <c>CodeGraphRag:Storage:Neo4j:Url</c> is set (the Neo4j options themselves are the adapter's).</summary>
    public bool Neo4jConfigured { get; set; }

    public string? RedisConnectionString { get; set; }

    public AuthModes AuthMode { get; set; } = AuthModes.None;

    /// <summary>Whether authentication mode None may serve a non-loopback address (<c>CodeGraphRag:Auth:AllowAnonymous</c>).</summary>
    public bool AllowAnonymous { get; set; }

    public IReadOnlyList<ApiKeyOptions> ApiKeys { get; set; } = [];

    public string? JwtAuthority { get; set; }

    public string? JwtAudience { get; set; }

    public string? JwtSigningKey { get; set; }

    public string? JwtIssuer { get; set; }

    public string GroupsClaim { get; set; } = "groups";

    public string? AdminGroup { get; set; }

    public string? GitHubSecret { get; set; }

    public string? GitLabToken { get; set; }

    /// <summary>
    /// The values <see cref="ServerOptionsSetup"/> could not read (malformed, out of range), each naming its key; the
    /// property keeps its default and <see cref="ServerOptionsValidator"/> reports them with every other failure.
    /// </summary>
    internal List<string> UnreadableValues { get; } = [];

    /// <summary>
    /// The settings with every secret left out (the Redis password masked; API keys, the JWT signing key and webhook secrets
    /// shown only as set or not), safe for logs.
    /// </summary>
    public override string ToString()
    {
        static string Set(string? secret) => string.IsNullOrEmpty(secret) ? "none" : "set";
        return string.Create(CultureInfo.InvariantCulture,
            $"ServerOptions {{ GrpcPort = {GrpcPort}, HttpPort = {HttpPort}, BindAddress = {BindAddress?.ToString() ?? "*"}, " +
            $"AllowedRoots = [{string.Join(", ", AllowedRoots)}], Clustering = {Clustering}, ClusterId = {ClusterId}, ServiceId = {ServiceId}, " +
            $"Roles = {Roles}, SiloPort = {SiloPort}, GatewayPort = {GatewayPort}, AdvertisedAddress = {AdvertisedAddress}, " +
            $"DataDirectory = {DataDirectory}, ReadOnlyStore = {ReadOnlyStore}, Redis = {(RedisConnectionString is null ? "none" : RedisOptions.Redact(RedisConnectionString))}, " +
            $"AuthMode = {AuthMode}, AllowAnonymous = {AllowAnonymous}, ApiKeys = [{string.Join(", ", ApiKeys)}], JwtAuthority = {JwtAuthority}, " +
            $"JwtAudience = {JwtAudience}, JwtSigningKey = {Set(JwtSigningKey)}, JwtIssuer = {JwtIssuer}, GroupsClaim = {GroupsClaim}, " +
            $"AdminGroup = {AdminGroup}, GitHubSecret = {Set(GitHubSecret)}, GitLabToken = {Set(GitLabToken)} }}");
    }

    /// <summary>
    /// Reads the options (<see cref="ServerOptionsSetup"/>) and validates them (<see cref="ServerOptionsValidator"/>) at
    /// once, as a host must before it composes anything that depends on them.
    /// </summary>
    /// <exception cref="ServerConfigurationException">
    /// Values are missing, malformed or inconsistent; the message lists every failure, one per line, each naming its key.
    /// </exception>
    public static ServerOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ServerOptions();
        new ServerOptionsSetup(configuration).Configure(options);
        var result = new ServerOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new ServerConfigurationException(string.Join(Environment.NewLine, result.Failures));
        }

        return options;
    }

    /// <summary>True for an http URL whose host is loopback (localhost, 127.0.0.0/8, ::1): the one case an OIDC authority may be plain http.</summary>
    public static bool IsLoopbackHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
