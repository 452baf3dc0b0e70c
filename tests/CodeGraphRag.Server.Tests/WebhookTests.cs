using System.Net;
using System.Text;
using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.Server.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CodeGraphRag.Server.Tests.AccessServerFixture;
using V1 = global::CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Collection(ServerCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class WebhookTests(AccessServerFixture fixture) : IClassFixture<AccessServerFixture>
{
    private const string Hooked = "hooked";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string GitHubPush(string branch, string url = "https://github.com/Acme/Hooked.git")
        => $$$"""{"ref":"refs/heads/{{{branch}}}","deleted":false,"repository":{"clone_url":"{{{url}}}","ssh_url":"git@github.com:Acme/Hooked.git","default_branch":"main"}}""";

    private async Task RegisterAsync()
        => await fixture.Server.Client.RegisterRepositoryAsync(
            new V1.RegisterRepositoryRequest { Name = Hooked, GitUrl = "git@github.com:acme/hooked.git", Branch = "main" }, Key(AdminKey), cancellationToken: Ct);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await fixture.Server.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private Task<(HttpStatusCode Status, string Body)> GitHubAsync(string body, string @event = "push", string? signature = null)
        => PostAsync("/webhooks/github", body, ("X-GitHub-Event", @event), ("X-Hub-Signature-256", signature ?? WebhookVerifier.GitHubSignature(GitHubSecret, Encoding.UTF8.GetBytes(body))));

    [Fact]
    public async Task GitHub_SignedPushForRegisteredBranch_TriggersSync()
    {
        await RegisterAsync();
        var before = fixture.WebhookRuns.Runs.Count(r => r == Hooked);
        var (status, body) = await GitHubAsync(GitHubPush("main"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("scheduled", body, StringComparison.Ordinal);
        await fixture.Server.Services.GetRequiredService<WebhookSyncScheduler>().IdleAsync(Hooked);
        Assert.Equal(before + 1, fixture.WebhookRuns.Runs.Count(r => r == Hooked));
    }

    [Fact]
    public async Task GitHub_OtherBranchOrUnknownRepository_AcceptedButIgnored()
    {
        await RegisterAsync();
        var (status, body) = await GitHubAsync(GitHubPush("feature/x"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("ignored", body, StringComparison.Ordinal);
        (status, body) = await GitHubAsync(GitHubPush("main", "https://github.com/acme/other.git").Replace("Hooked.git\",\"default", "other.git\",\"default", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("ignored", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHub_BadSignatureOrPayload_Rejected()
    {
        var body = GitHubPush("main");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GitHubAsync(body, signature: WebhookVerifier.GitHubSignature("wrong-secret", Encoding.UTF8.GetBytes(body)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/webhooks/github", body, ("X-GitHub-Event", "push"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GitHubAsync(body, signature: "sha256=zz")).Status);
        var (status, text) = await GitHubAsync("{not json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("JSON", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await GitHubAsync("""{"ref":"refs/heads/main"}""")).Status);
        (status, text) = await GitHubAsync(body, @event: "issues");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("issues", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHub_Ping_Answered()
    {
        var (status, body) = await GitHubAsync("""{"zen":"Keep it logically awesome."}""", @event: "ping");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("pong", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitLab_TokenChecked_PushTriggersSync()
    {
        await RegisterAsync();
        const string body = """{"object_kind":"push","ref":"refs/heads/main","after":"1234abcd","project":{"git_http_url":"https://github.com/acme/hooked.git","default_branch":"main"}}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("/webhooks/gitlab", body, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", "wrong"))).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync("/webhooks/gitlab", body, ("X-Gitlab-Event", "Tag Push Hook"), ("X-Gitlab-Token", GitLabToken))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/webhooks/gitlab", "[]", ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", GitLabToken))).Status);

        var before = fixture.WebhookRuns.Runs.Count(r => r == Hooked);
        var (status, text) = await PostAsync("/webhooks/gitlab", body, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", GitLabToken));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains(Hooked, text, StringComparison.Ordinal);
        await fixture.Server.Services.GetRequiredService<WebhookSyncScheduler>().IdleAsync(Hooked);
        Assert.Equal(before + 1, fixture.WebhookRuns.Runs.Count(r => r == Hooked));
    }
}
