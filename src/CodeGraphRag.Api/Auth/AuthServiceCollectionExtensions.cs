using System.Security.Claims;
using System.Text;
using CodeGraphRag.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CodeGraphRag.Api.Auth;

/// <summary>Authentication schemes for <c>CodeGraphRag:Auth:Mode</c>: API keys, JWT bearer tokens, or either.</summary>
internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddServerAuthentication(this IServiceCollection services, ServerOptions settings)
    {
        services.AddSingleton<CallerResolver>();
        if (settings.AuthMode == AuthModes.None)
        {
            return services;
        }

        var auth = services.AddAuthentication(ServerClaims.SelectorScheme)
            .AddPolicyScheme(ServerClaims.SelectorScheme, "API key or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.ContainsKey(ServerClaims.ApiKeyHeader) || !settings.AuthMode.HasFlag(AuthModes.Jwt)
                    ? ServerClaims.ApiKeyScheme
                    : JwtBearerDefaults.AuthenticationScheme);
        auth.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ServerClaims.ApiKeyScheme, null);
        if (settings.AuthMode.HasFlag(AuthModes.Jwt))
        {
            auth.AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.Authority = settings.JwtAuthority;
                o.Audience = settings.JwtAudience;
                // CGR: settings admit a plain-http authority only on loopback; everything else must fetch metadata over https.
                o.RequireHttpsMetadata = !ServerOptions.IsLoopbackHttp(settings.JwtAuthority);
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateAudience = settings.JwtAudience is not null,
                    ValidAudience = settings.JwtAudience,
                    ValidateIssuer = settings.JwtAuthority is not null || settings.JwtIssuer is not null,
                    ValidIssuer = settings.JwtIssuer,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    IssuerSigningKey = settings.JwtSigningKey is null ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.JwtSigningKey)),
                    ValidAlgorithms = settings.JwtSigningKey is null ? null : [SecurityAlgorithms.HmacSha256],
                    NameClaimType = "sub",
                };
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = ctx =>
                    {
                        // CGR: normalise to the same claims the API key handler produces.
                        var source = ctx.Principal!;
                        var name = source.FindFirst("sub")?.Value ?? source.FindFirst("preferred_username")?.Value ?? source.FindFirst("client_id")?.Value ?? "unknown";
                        var claims = new List<Claim> { new(ServerClaims.Principal, name) };
                        claims.AddRange(source.FindAll(settings.GroupsClaim).Select(c => new Claim(ServerClaims.Group, c.Value)));
                        ctx.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, JwtBearerDefaults.AuthenticationScheme, ServerClaims.Principal, ServerClaims.Group));
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return services;
    }
}
