namespace CodeGraphRag.Sources;

/// <summary>Git URL helpers for the API: validation, a comparable form and a default repository name (credentials are redacted by <see cref="GitMirror.Redact"/>).</summary>
public static class GitUrls
{
    /// <summary>
    /// True for https, http, ssh and git URLs and scp-like <c>user@host:path</c>, without whitespace or control
    /// characters and with a host that cannot be read as a command-line option.
    /// </summary>
    public static bool IsValid(string url)
    {
        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return uri.Scheme is "https" or "http" or "ssh" or "git" && !string.IsNullOrEmpty(uri.Host) && !uri.Host.StartsWith('-')
                && uri.AbsolutePath.Trim('/').Length > 0;
        }

        return TryScp(url, out _, out _);
    }

    /// <summary>
    /// <c>host/path</c> in lower case without scheme, credentials, port, trailing slash or <c>.git</c>, so the https, ssh
    /// and scp-like forms of one repository compare equal.
    /// </summary>
    public static string? Canonical(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        string host;
        string path;
        if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            host = uri.Host;
            path = uri.AbsolutePath;
        }
        else if (!TryScp(url.Trim(), out host, out path))
        {
            return null;
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        return (host + "/" + path).ToLowerInvariant();
    }

    /// <summary>A default name for a git source: <c>host/org/repo</c>.</summary>
    public static string DefaultName(string url) => Canonical(url) ?? url;

    private static bool TryScp(string url, out string host, out string path)
    {
        host = path = string.Empty;
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || url.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        var left = url[..colon];
        var at = left.LastIndexOf('@');
        host = at >= 0 ? left[(at + 1)..] : left;
        path = url[(colon + 1)..];
        return host.Length > 0 && !host.StartsWith('-') && !host.Contains('/', StringComparison.Ordinal) && path.Trim('/').Length > 0;
    }
}
