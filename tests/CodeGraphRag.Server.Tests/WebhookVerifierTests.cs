using System.Text;
using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Server.Tests;

/// <summary>
/// The verifier against values it did not produce: GitHub's published example delivery ("Validating webhook deliveries":
/// secret "It's a Secret to Everybody", payload "Hello, World!") and GitLab's plain secret-token header.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookVerifierTests
{
    private const string GitHubDocsSecret = "It's a Secret to Everybody";
    private const string GitHubDocsSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] GitHubDocsPayload = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void GitHub_PublishedExample_Accepted()
        => Assert.True(WebhookVerifier.IsValidGitHubSignature(GitHubDocsSecret, GitHubDocsPayload, GitHubDocsSignature));

    [Fact]
    public void GitHub_PublishedExample_UpperCaseHexAccepted()
        => Assert.True(WebhookVerifier.IsValidGitHubSignature(GitHubDocsSecret, GitHubDocsPayload, "sha256=" + GitHubDocsSignature["sha256=".Length..].ToUpperInvariant()));

    [Theory]
    [InlineData("Hello, World?", GitHubDocsSecret, GitHubDocsSignature)] // payload changed by one byte
    [InlineData("Hello, World!", "It's a secret to everybody", GitHubDocsSignature)] // another secret
    [InlineData("Hello, World!", GitHubDocsSecret, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d")] // the legacy SHA-1 header form
    [InlineData("Hello, World!", GitHubDocsSecret, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")] // truncated
    [InlineData("Hello, World!", GitHubDocsSecret, "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")] // not hex
    [InlineData("Hello, World!", GitHubDocsSecret, "")]
    public void GitHub_AnythingElse_Rejected(string payload, string secret, string header)
        => Assert.False(WebhookVerifier.IsValidGitHubSignature(secret, Encoding.UTF8.GetBytes(payload), header));

    [Fact]
    public void GitHubSignature_RoundTrips_AndRejectsTampering()
    {
        var body = "{\"ref\":\"refs/heads/main\"}"u8.ToArray();
        var signature = WebhookVerifier.GitHubSignature("s", body);
        Assert.True(WebhookVerifier.IsValidGitHubSignature("s", body, signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("t", body, signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", [.. body, (byte)' '], signature));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", body, signature.Replace("sha256=", "sha1=", StringComparison.Ordinal)));
        Assert.False(WebhookVerifier.IsValidGitHubSignature("s", body, null));
    }

    [Fact]
    public void GitHub_OwnSignatureMatchesThePublishedOne()
        => Assert.Equal(GitHubDocsSignature, WebhookVerifier.GitHubSignature(GitHubDocsSecret, GitHubDocsPayload));

    [Theory]
    [InlineData("s3cr3t-token", "s3cr3t-token", true)]
    [InlineData("s3cr3t-token", "s3cr3t-token ", false)]
    [InlineData("s3cr3t-token", "S3CR3T-TOKEN", false)]
    [InlineData("s3cr3t-token", "", false)]
    [InlineData("s3cr3t-token", null, false)]
    public void GitLab_TokenMustMatchExactly(string configured, string? header, bool valid)
        => Assert.Equal(valid, WebhookVerifier.IsValidGitLabToken(configured, header));
}
