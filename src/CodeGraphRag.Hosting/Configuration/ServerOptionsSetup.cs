using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Hosting.Configuration;

/// <summary>
/// Reads <see cref="ServerOptions"/> from the <c>CodeGraphRag</c> section. A value that cannot be read (not a number, out
/// of range, an unknown name, an unresolvable host) keeps the default and is recorded in
/// <see cref="ServerOptions.UnreadableValues"/>, so the validator reports every bad key at once rather than the first.
/// </summary>
/// <remarks>
/// CGR: hand-read rather than bound: several keys have their own syntax (roles and auth modes as lists, allowed roots as
/// an array or a PATH-style list, addresses as IPs or host names, <c>*</c> for every interface), and the binder stops at
/// the first value it cannot convert.
/// </remarks>
internal sealed class ServerOptionsSetup(IConfiguration configuration) : IConfigureOptions<ServerOptions>
{
    public void Configure(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reader = new Reader(configuration.GetSection(ServerOptions.SectionName), options.UnreadableValues);

        options.GrpcPort = reader.Port("Server:GrpcPort", options.GrpcPort);
        options.HttpPort = reader.Port("Server:HttpPort", options.HttpPort);
        options.BindAddress = reader.Text("Server:BindAddress") is null ? IPAddress.Loopback : reader.Address("Server:BindAddress", IPAddress.Loopback);
        options.AllowedRoots = reader.AllowedRoots("Server:AllowedRoots");
        options.ShutdownTimeout = TimeSpan.FromSeconds(reader.Int("Server:ShutdownTimeoutSeconds", (int)options.ShutdownTimeout.TotalSeconds, 1, 3600));

        options.Clustering = reader.Enum("Cluster:Clustering", options.Clustering);
        options.ClusterId = reader.Text("Cluster:ClusterId") ?? options.ClusterId;
        options.ServiceId = reader.Text("Cluster:ServiceId") ?? options.ServiceId;
        options.Roles = reader.Roles("Cluster:Roles", options.Roles);
        options.SiloPort = reader.Port("Cluster:SiloPort", options.SiloPort);
        options.GatewayPort = reader.Port("Cluster:GatewayPort", options.GatewayPort);
        options.AdvertisedAddress = reader.Address("Cluster:AdvertisedAddress", null);

        // CGR: DataDirectory.Resolve falls back to CGR_DATA_DIR, then the user's data folder.
        options.DataDirectory = Hosting.DataDirectory.Resolve(reader.Text("Storage:Embedded:DataDirectory"));
        options.ReadOnlyStore = reader.Bool("Storage:Embedded:ReadOnly");
        options.RedisConnectionString = reader.Text("Storage:Redis:ConnectionString");
        options.MilvusConfigured = reader.Text("Storage:Milvus:Url") is not null;
        options.Neo4jConfigured = reader.Text("Storage:Neo4j:Url") is not null;

        options.AuthMode = reader.AuthModes("Auth:Mode");
        options.AllowAnonymous = reader.Bool("Auth:AllowAnonymous");
        options.ApiKeys = reader.ApiKeys("Auth:ApiKeys");
        options.JwtAuthority = reader.Text("Auth:Jwt:Authority");
        options.JwtAudience = reader.Text("Auth:Jwt:Audience");
        options.JwtSigningKey = reader.Text("Auth:Jwt:SigningKey");
        options.JwtIssuer = reader.Text("Auth:Jwt:Issuer");
        options.GroupsClaim = reader.Text("Auth:Jwt:GroupsClaim") ?? options.GroupsClaim;
        options.AdminGroup = reader.Text("Auth:AdminGroup");

        options.GitHubSecret = reader.Text("Webhooks:GitHubSecret");
        options.GitLabToken = reader.Text("Webhooks:GitLabToken");
    }

    /// <summary>Reads keys of one section; each failure is added to the list with the message that names the key.</summary>
    private sealed class Reader(IConfigurationSection section, List<string> failures)
    {
        public string? Text(string key) => Text(section, key);

        public int Port(string key, int fallback) => Int(key, fallback, 0, 65535);

        public int Int(string key, int fallback, int min, int max)
        {
            var text = Text(key);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                failures.Add($"CodeGraphRag:{key} = '{text}' is not an integer in {min}..{max}.");
                return fallback;
            }

            return value;
        }

        public bool Bool(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return false;
            }

            if (!bool.TryParse(text, out var value))
            {
                failures.Add($"CodeGraphRag:{key} = '{text}' is not true or false.");
            }

            return value;
        }

        public IPAddress? Address(string key, IPAddress? fallback)
        {
            var text = Text(key);
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
                if (Dns.GetHostAddresses(text).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) is { } resolved)
                {
                    return resolved;
                }

                failures.Add($"CodeGraphRag:{key} = '{text}' resolves to no IPv4 address.");
            }
            catch (SocketException)
            {
                failures.Add($"CodeGraphRag:{key} = '{text}' is neither an IP address nor a resolvable host name.");
            }

            return fallback;
        }

        public T Enum<T>(string key, T fallback)
            where T : struct, Enum
        {
            var text = Text(key);
            if (text is null)
            {
                return fallback;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value))
            {
                return value;
            }

            failures.Add($"CodeGraphRag:{key} = '{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            return fallback;
        }

        public SiloRoles Roles(string key, SiloRoles fallback)
        {
            try
            {
                return SiloRolesParser.Parse(section[key]);
            }
            catch (FormatException ex)
            {
                failures.Add(ex.Message);
                return fallback;
            }
        }

        public AuthModes AuthModes(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return Configuration.AuthModes.None;
            }

            var modes = Configuration.AuthModes.None;
            foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                switch (part.ToUpperInvariant())
                {
                    case "NONE":
                        break;
                    case "APIKEY":
                        modes |= Configuration.AuthModes.ApiKey;
                        break;
                    case "JWT":
                        modes |= Configuration.AuthModes.Jwt;
                        break;
                    default:
                        failures.Add($"CodeGraphRag:{key} = '{text}': '{part}' is not one of None, ApiKey, Jwt.");
                        break;
                }
            }

            return modes;
        }

        /// <summary>
        /// An array (<c>AllowedRoots:0</c>, ...) or one value separated like PATH (<see cref="Path.PathSeparator"/>); each
        /// must be absolute and is resolved to its real path.
        /// </summary>
        public List<string> AllowedRoots(string key)
        {
            var values = section.GetSection(key).GetChildren().Select(c => (key + ":" + c.Key, c.Value)).ToList();
            if (Text(key) is { } joined)
            {
                values.AddRange(joined.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (key, (string?)v)));
            }

            var roots = new List<string>();
            foreach (var (name, value) in values)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                if (!Path.IsPathFullyQualified(value.Trim()))
                {
                    failures.Add($"CodeGraphRag:{name} = '{value}' is not an absolute path.");
                    continue;
                }

                var root = ServerPaths.RealPath(value.Trim());
                if (!roots.Contains(root, ServerPaths.Comparer))
                {
                    roots.Add(root);
                }
            }

            return roots;
        }

        public List<ApiKeyOptions> ApiKeys(string key)
        {
            var keys = new List<ApiKeyOptions>();
            foreach (var entry in section.GetSection(key).GetChildren())
            {
                var name = $"CodeGraphRag:{key}:{entry.Key}";
                var secret = Text(entry, "Key");
                var principal = Text(entry, "Principal");
                var valid = true;
                if (secret is null)
                {
                    failures.Add($"{name}:Key is missing.");
                    valid = false;
                }
                else if (secret.Length < 16)
                {
                    failures.Add($"{name}:Key is shorter than 16 characters.");
                    valid = false;
                }
                else if (keys.Any(k => k.Key == secret))
                {
                    failures.Add($"{name}:Key duplicates another key.");
                    valid = false;
                }

                if (principal is null)
                {
                    failures.Add($"{name}:Principal is missing.");
                    valid = false;
                }

                if (valid)
                {
                    var groups = (Text(entry, "Groups") ?? string.Empty)
                        .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    keys.Add(new ApiKeyOptions(secret!, principal!, groups));
                }
            }

            return keys;
        }

        private static string? Text(IConfigurationSection section, string key)
            => section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }
}
