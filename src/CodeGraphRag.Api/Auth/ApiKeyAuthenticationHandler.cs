using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CodeGraphRag.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Api.Auth;

/// <summary>Authenticates metadata <c>x-api-key</c> against the configured keys (compared as SHA-256 digests in constant time).</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ServerOptions settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ServerClaims.ApiKeyHeader, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        ApiKeyOptions? match = null;
        foreach (var key in settings.ApiKeys)
        {
            // CGR: check every key so the time taken does not depend on which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                match = key;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
        }

        var claims = new List<Claim> { new(ServerClaims.Principal, match.Principal) };
        claims.AddRange(match.Groups.Select(g => new Claim(ServerClaims.Group, g)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ServerClaims.Principal, ServerClaims.Group));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }
}
