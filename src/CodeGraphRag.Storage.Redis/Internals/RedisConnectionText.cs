using System.Net;
using StackExchange.Redis;

namespace CodeGraphRag.Storage.Redis.Internals;

/// <summary>Connection strings and endpoints as text that is safe to log: never the password.</summary>
internal static class RedisConnectionText
{
    /// <summary>
    /// <paramref name="connectionString"/> with its password masked, or a placeholder when it does not parse (an unparsable
    /// string may still hold a password, so it is never echoed).
    /// </summary>
    public static string Redact(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "(no connection string)";
        }

        return TryParse(connectionString, out var options) ? options.ToString(includePassword: false) : "(unparsable connection string)";
    }

    /// <summary>Parses like <see cref="ConfigurationOptions.Parse(string)"/>, reporting failure instead of throwing.</summary>
    public static bool TryParse(string connectionString, out ConfigurationOptions options)
    {
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            options = new ConfigurationOptions();
            return false;
        }
    }

    /// <summary>The configured endpoints as <c>host:port</c>, comma-separated, e.g. for exception messages.</summary>
    public static string Endpoints(IConnectionMultiplexer redis)
    {
        var endpoints = redis.GetEndPoints(configuredOnly: true);
        return endpoints.Length == 0 ? "(no endpoint)" : string.Join(",", endpoints.Select(Format));
    }

    private static string Format(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "(unknown endpoint)",
    };
}
