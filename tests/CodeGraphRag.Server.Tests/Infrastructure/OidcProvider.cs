using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CodeGraphRag.Server.Tests.Infrastructure;

/// <summary>
/// A minimal OpenID Connect issuer on loopback: the discovery document and a JWKS with one RSA key generated here, and
/// RS256 tokens signed by it. Counts metadata requests so tests can tell the server really fetched them.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string KeyId = "test-key-1";

    private readonly WebApplication _app;
    private readonly RSA _rsa;
    private int _jwksRequests;

    private OidcProvider(WebApplication app, RSA rsa, string issuer)
    {
        _app = app;
        _rsa = rsa;
        Issuer = issuer;
    }

    /// <summary>The issuer and authority URL (<c>http://127.0.0.1:port</c>).</summary>
    public string Issuer { get; }

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<OidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var rsa = RSA.Create(2048);
        OidcProvider? provider = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = provider!.Issuer,
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
        }), "application/json"));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref provider!._jwksRequests);
            var p = rsa.ExportParameters(includePrivateParameters: false);
            var key = new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            };
            return Results.Text(JsonSerializer.Serialize(new { keys = new[] { key } }), "application/json");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider = new OidcProvider(app, rsa, address.TrimEnd('/'));
        return provider;
    }

    /// <summary>An RS256 token from this issuer (or, with <paramref name="signingKey"/>, signed by another key under the same key id).</summary>
    public string Token(string subject, string groupsClaim, string[] groups, string audience, TimeSpan? lifetime = null, RSA? signingKey = null, string? issuer = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = subject, [groupsClaim] = groups },
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-30),
            NotBefore = expires.AddMinutes(-30),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? _rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
