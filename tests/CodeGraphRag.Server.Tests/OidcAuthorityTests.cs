using System.Security.Cryptography;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// A server whose JWTs come from an OpenID Connect authority (<see cref="OidcProvider"/> on loopback): RS256 keys from
/// its JWKS, issuer from its discovery document, groups from a configured claim.
/// </summary>
public sealed class OidcServerFixture : IAsyncLifetime
{
    public const string Audience = "cgr-oidc";
    public const string GroupsClaim = "roles";
    public const string AdminGroup = "cgr-admins";
    public const string Shared = "team-x-repo";

    internal OidcProvider Provider { get; private set; } = null!;

    internal TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Provider = await OidcProvider.StartAsync();
        Server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["CodeGraphRag:Auth:Mode"] = "Jwt",
            ["CodeGraphRag:Auth:Jwt:Authority"] = Provider.Issuer,
            ["CodeGraphRag:Auth:Jwt:Audience"] = Audience,
            ["CodeGraphRag:Auth:Jwt:GroupsClaim"] = GroupsClaim,
            ["CodeGraphRag:Auth:AdminGroup"] = AdminGroup,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class OidcAuthorityTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private V1.CodeGraphRag.CodeGraphRagClient Client => fixture.Server.Client;

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private string Token(string subject, params string[] groups) =>
        fixture.Provider.Token(subject, OidcServerFixture.GroupsClaim, groups, OidcServerFixture.Audience);

    [Fact]
    public async Task Rs256TokenFromTheAuthority_Accepted_WithGroupsFromTheConfiguredClaim()
    {
        var register = new V1.RegisterRepositoryRequest { Name = OidcServerFixture.Shared, GitUrl = "https://example.com/acme/team-x.git" };
        register.ReadGroups.Add("team-x");

        // The admin group comes from the `roles` claim: registering needs it.
        var registered = await Client.RegisterRepositoryAsync(register, Bearer(Token("alice", OidcServerFixture.AdminGroup)), cancellationToken: Ct);
        var member = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(Token("bob", "team-x")), cancellationToken: Ct);
        var outsider = await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(Token("carol", "team-y")), cancellationToken: Ct);
        var notAdmin = await Assert.ThrowsAsync<RpcException>(() =>
            Client.RegisterRepositoryAsync(register, Bearer(Token("bob", "team-x")), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(OidcServerFixture.Shared, registered.Name);
        Assert.Equal([OidcServerFixture.Shared], member.Repositories.Select(r => r.Name));
        Assert.Empty(outsider.Repositories);
        Assert.Equal(StatusCode.PermissionDenied, notAdmin.StatusCode);
        Assert.True(fixture.Provider.JwksRequests > 0, "the server never fetched the authority's JWKS");
        Assert.Contains(fixture.Server.Audit.Entries, e => e.Contains("principal=alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokensNotFromTheAuthorityOrNotForUs_Unauthenticated()
    {
        using var otherKey = RSA.Create(2048);
        var p = fixture.Provider;
        var rejected = new Dictionary<string, string>
        {
            ["signed by another key under the same key id"] = p.Token("mallory", OidcServerFixture.GroupsClaim, [OidcServerFixture.AdminGroup], OidcServerFixture.Audience, signingKey: otherKey),
            ["wrong audience"] = p.Token("mallory", OidcServerFixture.GroupsClaim, [OidcServerFixture.AdminGroup], "some-other-api"),
            ["expired"] = p.Token("late", OidcServerFixture.GroupsClaim, [OidcServerFixture.AdminGroup], OidcServerFixture.Audience, lifetime: TimeSpan.FromMinutes(-10)),
            ["another issuer"] = p.Token("mallory", OidcServerFixture.GroupsClaim, [OidcServerFixture.AdminGroup], OidcServerFixture.Audience, issuer: "https://issuer.example.invalid"),
            ["HS256 with a guessed secret"] = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Claims = new Dictionary<string, object> { ["sub"] = "mallory", [OidcServerFixture.GroupsClaim] = new[] { OidcServerFixture.AdminGroup } },
                Issuer = p.Issuer,
                Audience = OidcServerFixture.Audience,
                Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(10),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]) { KeyId = OidcProvider.KeyId }, SecurityAlgorithms.HmacSha256),
            }),
        };

        // The good token works on the same server (so the failures below are about the tokens).
        await Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(Token("bob", "team-x")), cancellationToken: Ct);
        foreach (var (why, token) in rejected)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() =>
                Client.ListRepositoriesAsync(new V1.ListRepositoriesRequest(), Bearer(token), cancellationToken: Ct).ResponseAsync);
            Assert.True(ex.StatusCode == StatusCode.Unauthenticated, $"{why}: {ex.StatusCode}");
        }
    }
}
