using System.Globalization;
using System.Net;
using CodeGraphRag.Hosting;
using CodeGraphRag.Server.Repositories;
using CodeGraphRag.Storage.Redis;

namespace CodeGraphRag.Server.Configuration;

/// <summary>Everything the server reads from the <c>CodeGraphRag</c> configuration section, validated once at start.</summary>
internal sealed record ServerSettings
{
    public required int GrpcPort { get; init; }

    public required int HttpPort { get; init; }

    /// <summary>Address Kestrel listens on: loopback unless configured; null (configured as <c>*</c>) means every interface.</summary>
    public required IPAddress? BindAddress { get; init; }

    /// <summary>
    /// Folders under which callers may register server paths (<c>local_path</c>), each absolute with <c>..</c> and symbolic
    /// links resolved; empty (the default) allows git URLs only.
    /// </summary>
    public required IReadOnlyList<string> AllowedRoots { get; init; }

    public required TimeSpan ShutdownTimeout { get; init; }

    public required ClusteringKind Clustering { get; init; }

    public required string ClusterId { get; init; }

    public required string ServiceId { get; init; }

    public required SiloRoles Roles { get; init; }

    public required int SiloPort { get; init; }

    public required int GatewayPort { get; init; }

    public required IPAddress? AdvertisedAddress { get; init; }

    public required string DataDirectory { get; init; }

    public required bool ReadOnlyStore { get; init; }

    public required string? RedisConnectionString { get; init; }

    public required AuthModes AuthMode { get; init; }

    /// <summary>Whether authentication mode None may serve a non-loopback address (<c>CodeGraphRag:Auth:AllowAnonymous</c>).</summary>
    public required bool AllowAnonymous { get; init; }

    public required IReadOnlyList<ApiKeySettings> ApiKeys { get; init; }

    public required string? JwtAuthority { get; init; }

    public required string? JwtAudience { get; init; }

    public required string? JwtSigningKey { get; init; }

    public required string? JwtIssuer { get; init; }

    public required string GroupsClaim { get; init; }

    public required string? AdminGroup { get; init; }

    public required string? GitHubSecret { get; init; }

    public required string? GitLabToken { get; init; }

    /// <summary>
    /// The settings with every secret left out (the Redis password masked; API keys, the JWT signing key and webhook secrets
    /// shown only as set or not), safe for logs. A record's generated text would print them all.
    /// </summary>
    public override string ToString()
    {
        static string Set(string? secret) => string.IsNullOrEmpty(secret) ? "none" : "set";
        return string.Create(CultureInfo.InvariantCulture,
            $"ServerSettings {{ GrpcPort = {GrpcPort}, HttpPort = {HttpPort}, BindAddress = {BindAddress?.ToString() ?? "*"}, " +
            $"AllowedRoots = [{string.Join(", ", AllowedRoots)}], Clustering = {Clustering}, ClusterId = {ClusterId}, ServiceId = {ServiceId}, " +
            $"Roles = {Roles}, SiloPort = {SiloPort}, GatewayPort = {GatewayPort}, AdvertisedAddress = {AdvertisedAddress}, " +
            $"DataDirectory = {DataDirectory}, ReadOnlyStore = {ReadOnlyStore}, Redis = {(RedisConnectionString is null ? "none" : RedisOptions.Redact(RedisConnectionString))}, " +
            $"AuthMode = {AuthMode}, AllowAnonymous = {AllowAnonymous}, ApiKeys = [{string.Join(", ", ApiKeys)}], JwtAuthority = {JwtAuthority}, " +
            $"JwtAudience = {JwtAudience}, JwtSigningKey = {Set(JwtSigningKey)}, JwtIssuer = {JwtIssuer}, GroupsClaim = {GroupsClaim}, " +
            $"AdminGroup = {AdminGroup}, GitHubSecret = {Set(GitHubSecret)}, GitLabToken = {Set(GitLabToken)} }}");
    }

    /// <summary>Reads and validates the configuration; every error names its key.</summary>
    /// <exception cref="ServerConfigurationException">A value is missing, malformed or inconsistent.</exception>
    public static ServerSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("CodeGraphRag");
        var clustering = Enum<ClusteringKind>(section, "Cluster:Clustering", ClusteringKind.Localhost);
        var redis = Text(section, "Storage:Redis:ConnectionString");
        if (clustering == ClusteringKind.Redis && redis is null)
        {
            throw new ServerConfigurationException(
                "CodeGraphRag:Storage:Redis:ConnectionString is required when CodeGraphRag:Cluster:Clustering is Redis.");
        }

        SiloRoles roles;
        try
        {
            roles = SiloRolesParser.Parse(section["Cluster:Roles"]);
        }
        catch (FormatException ex)
        {
            throw new ServerConfigurationException(ex.Message, ex);
        }

        var auth = AuthModesOf(section);
        var keys = ApiKeysOf(section);
        if (auth.HasFlag(AuthModes.ApiKey) && keys.Count == 0)
        {
            throw new ServerConfigurationException("CodeGraphRag:Auth:Mode includes ApiKey but CodeGraphRag:Auth:ApiKeys lists no keys.");
        }

        var authority = Text(section, "Auth:Jwt:Authority");
        var signingKey = Text(section, "Auth:Jwt:SigningKey");
        if (auth.HasFlag(AuthModes.Jwt))
        {
            if (authority is null && signingKey is null)
            {
                throw new ServerConfigurationException("CodeGraphRag:Auth:Mode includes Jwt: set CodeGraphRag:Auth:Jwt:Authority or CodeGraphRag:Auth:Jwt:SigningKey.");
            }

            if (signingKey is not null && signingKey.Length < 32)
            {
                throw new ServerConfigurationException("CodeGraphRag:Auth:Jwt:SigningKey must be at least 32 characters (HS256 needs a 256-bit key).");
            }

            if (authority is not null && !Uri.TryCreate(authority, UriKind.Absolute, out _))
            {
                throw new ServerConfigurationException($"CodeGraphRag:Auth:Jwt:Authority '{authority}' is not an absolute URL.");
            }

            if (authority is not null && !authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && !IsLoopbackHttp(authority))
            {
                // CGR: the authority's metadata carries the token signing keys; fetched over plain http, anyone on the path
                // could substitute their own. Plain http is accepted for a loopback authority only (development, tests).
                throw new ServerConfigurationException(
                    $"CodeGraphRag:Auth:Jwt:Authority '{authority}' must be an https URL (plain http only on a loopback host such as http://127.0.0.1:port).");
            }
        }

        var bind = Text(section, "Server:BindAddress") is null ? IPAddress.Loopback : Address(section, "Server:BindAddress");
        var allowAnonymous = Bool(section, "Auth:AllowAnonymous");
        if (auth == AuthModes.None && !allowAnonymous && (bind is null || !IPAddress.IsLoopback(bind)))
        {
            // CGR: with no authentication every caller is an administrator: it may register server paths, sync and read
            // everything. That is only safe where nobody else can connect.
            throw new ServerConfigurationException(
                $"CodeGraphRag:Auth:Mode is None but CodeGraphRag:Server:BindAddress is {(bind is null ? "* (every interface)" : bind.ToString())}: " +
                "anyone who can reach the server could register, index and read repositories. Configure CodeGraphRag:Auth:Mode " +
                "(ApiKey or Jwt), bind to loopback (127.0.0.1), or set CodeGraphRag:Auth:AllowAnonymous=true to accept this.");
        }

        var dataDirectory = Text(section, "Storage:Embedded:DataDirectory");
        return new ServerSettings
        {
            GrpcPort = Port(section, "Server:GrpcPort", 5000),
            HttpPort = Port(section, "Server:HttpPort", 8080),
            BindAddress = bind,
            AllowedRoots = AllowedRootsOf(section),
            ShutdownTimeout = TimeSpan.FromSeconds(Int(section, "Server:ShutdownTimeoutSeconds", 30, 1, 3600)),
            Clustering = clustering,
            ClusterId = Text(section, "Cluster:ClusterId") ?? "codegraphrag",
            ServiceId = Text(section, "Cluster:ServiceId") ?? "codegraphrag",
            Roles = roles,
            SiloPort = Port(section, "Cluster:SiloPort", 11111),
            GatewayPort = Port(section, "Cluster:GatewayPort", 30000),
            AdvertisedAddress = Address(section, "Cluster:AdvertisedAddress"),
            // CGR: DataDirectory.Resolve falls back to CGR_DATA_DIR, then the user's data folder.
            DataDirectory = CodeGraphRag.Hosting.DataDirectory.Resolve(dataDirectory),
            ReadOnlyStore = Bool(section, "Storage:Embedded:ReadOnly"),
            RedisConnectionString = redis,
            AuthMode = auth,
            AllowAnonymous = allowAnonymous,
            ApiKeys = keys,
            JwtAuthority = authority,
            JwtAudience = Text(section, "Auth:Jwt:Audience"),
            JwtSigningKey = signingKey,
            JwtIssuer = Text(section, "Auth:Jwt:Issuer"),
            GroupsClaim = Text(section, "Auth:Jwt:GroupsClaim") ?? "groups",
            AdminGroup = Text(section, "Auth:AdminGroup"),
            GitHubSecret = Text(section, "Webhooks:GitHubSecret"),
            GitLabToken = Text(section, "Webhooks:GitLabToken"),
        };
    }

    /// <summary>True for an http URL whose host is loopback (localhost, 127.0.0.0/8, ::1): the one case an OIDC authority may be plain http.</summary>
    public static bool IsLoopbackHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    private static string? Text(IConfigurationSection section, string key)
        => section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Port(IConfigurationSection section, string key, int fallback) => Int(section, key, fallback, 0, 65535);

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = Text(section, key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ServerConfigurationException($"CodeGraphRag:{key} = '{text}' is not an integer in {min}..{max}.");
        }

        return value;
    }

    private static bool Bool(IConfigurationSection section, string key)
    {
        var text = Text(section, key);
        if (text is null)
        {
            return false;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new ServerConfigurationException($"CodeGraphRag:{key} = '{text}' is not true or false.");
    }

    private static IPAddress? Address(IConfigurationSection section, string key)
    {
        var text = Text(section, key);
        if (text is null || text == "*")
        {
            return null;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        try
        {
            return Dns.GetHostAddresses(text).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new ServerConfigurationException($"CodeGraphRag:{key} = '{text}' resolves to no IPv4 address.");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new ServerConfigurationException($"CodeGraphRag:{key} = '{text}' is neither an IP address nor a resolvable host name.", ex);
        }
    }

    private static T Enum<T>(IConfigurationSection section, string key, T fallback)
        where T : struct, Enum
    {
        var text = Text(section, key);
        if (text is null)
        {
            return fallback;
        }

        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new ServerConfigurationException($"CodeGraphRag:{key} = '{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
    }

    private static AuthModes AuthModesOf(IConfigurationSection section)
    {
        var text = Text(section, "Auth:Mode");
        if (text is null)
        {
            return AuthModes.None;
        }

        var modes = AuthModes.None;
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            modes |= part.ToUpperInvariant() switch
            {
                "NONE" => AuthModes.None,
                "APIKEY" => AuthModes.ApiKey,
                "JWT" => AuthModes.Jwt,
                _ => throw new ServerConfigurationException($"CodeGraphRag:Auth:Mode = '{text}': '{part}' is not one of None, ApiKey, Jwt."),
            };
        }

        return modes;
    }

    /// <summary>
    /// <c>Server:AllowedRoots</c> as an array (<c>AllowedRoots:0</c>, ...) or one value separated like PATH
    /// (<see cref="Path.PathSeparator"/>); each must be absolute and is resolved to its real path.
    /// </summary>
    private static List<string> AllowedRootsOf(IConfigurationSection section)
    {
        const string Key = "Server:AllowedRoots";
        var values = section.GetSection(Key).GetChildren().Select(c => (Key + ":" + c.Key, c.Value)).ToList();
        if (Text(section, Key) is { } joined)
        {
            values.AddRange(joined.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (Key, (string?)v)));
        }

        var roots = new List<string>();
        foreach (var (key, value) in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!Path.IsPathFullyQualified(value.Trim()))
            {
                throw new ServerConfigurationException($"CodeGraphRag:{key} = '{value}' is not an absolute path.");
            }

            var root = ServerPaths.RealPath(value.Trim());
            if (!roots.Contains(root, ServerPaths.Comparer))
            {
                roots.Add(root);
            }
        }

        return roots;
    }

    private static List<ApiKeySettings> ApiKeysOf(IConfigurationSection section)
    {
        var keys = new List<ApiKeySettings>();
        foreach (var entry in section.GetSection("Auth:ApiKeys").GetChildren())
        {
            var key = Text(entry, "Key") ?? throw new ServerConfigurationException($"CodeGraphRag:Auth:ApiKeys:{entry.Key}:Key is missing.");
            if (key.Length < 16)
            {
                throw new ServerConfigurationException($"CodeGraphRag:Auth:ApiKeys:{entry.Key}:Key is shorter than 16 characters.");
            }

            var principal = Text(entry, "Principal") ?? throw new ServerConfigurationException($"CodeGraphRag:Auth:ApiKeys:{entry.Key}:Principal is missing.");
            var groups = (Text(entry, "Groups") ?? string.Empty)
                .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (keys.Any(k => k.Key == key))
            {
                throw new ServerConfigurationException($"CodeGraphRag:Auth:ApiKeys:{entry.Key}:Key duplicates another key.");
            }

            keys.Add(new ApiKeySettings(key, principal, groups));
        }

        return keys;
    }
}
