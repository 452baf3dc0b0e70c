using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// A server with API keys and JWTs, an admin group, webhooks, and two repositories: <c>shop</c> (team-a) calls into
/// <c>billing</c> (team-b).
/// </summary>
public sealed class AccessServerFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string TeamAKey = "team-a-key-0123456789abcdef";
    public const string BothKey = "both-key-0123456789abcdef";
    public const string SigningKey = "a-test-signing-key-of-at-least-32-characters";
    public const string Audience = "cgr-tests";
    public const string GitHubSecret = "github-webhook-secret";
    public const string GitLabToken = "gitlab-webhook-token";
    public const string Shop = "shop";
    public const string Billing = "billing";
    public const string BillingOnlyText = "round(amount * rate, 2)";

    private readonly TempDirectory _repos = new("cgr-acl");

    internal TestServer Server { get; private set; } = null!;

    internal RecordingSyncRunner WebhookRuns { get; } = new();

    public static Metadata Key(string key) => new() { { "x-api-key", key } };

    public static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    public static string Jwt(string subject, string[] groups, string signingKey = SigningKey, TimeSpan? lifetime = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["groups"] = groups },
            Audience = Audience,
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask InitializeAsync()
    {
        _repos.Write("billing/billing_core/tax.py",
            "def compute_sales_tax(amount, rate):\n    \"\"\"Computes the sales tax owed on an amount.\"\"\"\n    return " + BillingOnlyText + "\n");
        _repos.Write("shop/shop/checkout.py",
            "from billing_core.tax import compute_sales_tax\n\n\ndef checkout_total(cart):\n    \"\"\"Sums the cart and adds sales tax.\"\"\"\n    subtotal = sum(item.price for item in cart)\n    return subtotal + compute_sales_tax(subtotal, 0.2)\n");
        Server = await TestServer.StartAsync(
            new Dictionary<string, string>
            {
                ["CodeGraphRag:Auth:Mode"] = "ApiKey,Jwt",
                ["CodeGraphRag:Auth:AdminGroup"] = "admins",
                ["CodeGraphRag:Auth:ApiKeys:0:Key"] = AdminKey,
                ["CodeGraphRag:Auth:ApiKeys:0:Principal"] = "ops",
                ["CodeGraphRag:Auth:ApiKeys:0:Groups"] = "admins",
                ["CodeGraphRag:Auth:ApiKeys:1:Key"] = TeamAKey,
                ["CodeGraphRag:Auth:ApiKeys:1:Principal"] = "alice",
                ["CodeGraphRag:Auth:ApiKeys:1:Groups"] = "team-a",
                ["CodeGraphRag:Auth:ApiKeys:2:Key"] = BothKey,
                ["CodeGraphRag:Auth:ApiKeys:2:Principal"] = "bob",
                ["CodeGraphRag:Auth:ApiKeys:2:Groups"] = "team-a,team-b",
                ["CodeGraphRag:Auth:Jwt:SigningKey"] = SigningKey,
                ["CodeGraphRag:Auth:Jwt:Audience"] = Audience,
                ["CodeGraphRag:Webhooks:GitHubSecret"] = GitHubSecret,
                ["CodeGraphRag:Webhooks:GitLabToken"] = GitLabToken,
            },
            services => services.AddSingleton<IWebhookSyncRunner>(WebhookRuns));
        var admin = Key(AdminKey);
        await Server.RegisterAndSyncAsync(Billing, Path.Combine(_repos.Path, "billing"), admin, "team-b");
        await Server.RegisterAndSyncAsync(Shop, Path.Combine(_repos.Path, "shop"), admin, "team-a");
    }

    /// <summary>The server folder holding the two repositories' trees.</summary>
    public string Trees => _repos.Path;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _repos.Dispose();
    }
}
