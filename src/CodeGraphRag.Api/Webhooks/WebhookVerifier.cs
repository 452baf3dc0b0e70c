using System.Security.Cryptography;
using System.Text;

namespace CodeGraphRag.Api.Webhooks;

/// <summary>Checks webhook signatures and tokens in constant time.</summary>
internal static class WebhookVerifier
{
    public const string GitHubSignaturePrefix = "sha256=";

    /// <summary>GitHub: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    public static bool IsValidGitHubSignature(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(GitHubSignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header.AsSpan(GitHubSignaturePrefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>The signature header value GitHub would send for <paramref name="body"/>.</summary>
    public static string GitHubSignature(string secret, ReadOnlySpan<byte> body)
        => GitHubSignaturePrefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>GitLab: <c>X-Gitlab-Token</c> equals the configured token.</summary>
    public static bool IsValidGitLabToken(string token, string? header)
        => header is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(header)));
}
