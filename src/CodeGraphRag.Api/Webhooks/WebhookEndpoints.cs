using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Api.Telemetry;
using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.Sources;

namespace CodeGraphRag.Api.Webhooks;

/// <summary>
/// <c>POST /webhooks/github</c> and <c>POST /webhooks/gitlab</c>: verified push events trigger a (coalesced) sync of
/// every registered git repository with that clone URL and branch. Answers: 200 ping, 202 scheduled or ignored,
/// 400 malformed, 401 bad signature or token, 404 provider not configured, 413 too large, 422 unsupported event.
/// </summary>
internal static class WebhookEndpoints
{
    private const int MaxBodyBytes = 5 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhooks/github", (Func<HttpContext, Task<IResult>>)GitHubAsync);
        endpoints.MapPost("/webhooks/gitlab", (Func<HttpContext, Task<IResult>>)GitLabAsync);
    }

    private static async Task<IResult> GitHubAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<ServerOptions>();
        var result = await HandleGitHubAsync(http, settings);
        services.GetRequiredService<ServerTelemetry>().RecordWebhook("github", StatusOf(result));
        return result;
    }

    private static async Task<IResult> GitLabAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var settings = services.GetRequiredService<ServerOptions>();
        var result = await HandleGitLabAsync(http, settings);
        services.GetRequiredService<ServerTelemetry>().RecordWebhook("gitlab", StatusOf(result));
        return result;
    }

    private static async Task<IResult> HandleGitHubAsync(HttpContext http, ServerOptions settings)
    {
        if (settings.GitHubSecret is not { } secret)
        {
            return Problem(StatusCodes.Status404NotFound, "GitHub webhooks are not enabled: set CodeGraphRag:Webhooks:GitHubSecret");
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"payload larger than {MaxBodyBytes} bytes");
        }

        if (!WebhookVerifier.IsValidGitHubSignature(secret, body, http.Request.Headers["X-Hub-Signature-256"].FirstOrDefault()))
        {
            return Problem(StatusCodes.Status401Unauthorized, "missing or invalid X-Hub-Signature-256");
        }

        var kind = http.Request.Headers["X-GitHub-Event"].FirstOrDefault();
        if (kind == "ping")
        {
            return Results.Ok(new { status = "pong" });
        }

        if (kind != "push")
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, $"unsupported X-GitHub-Event '{kind}': only push and ping are handled");
        }

        if (!TryParse(body, out var root))
        {
            return Problem(StatusCodes.Status400BadRequest, "the body is not a JSON object");
        }

        if (!root.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object
            || Text(root, "ref") is not { } pushedRef)
        {
            return Problem(StatusCodes.Status400BadRequest, "a push payload needs 'ref' and a 'repository' object");
        }

        var urls = new[] { "clone_url", "ssh_url", "git_url", "html_url", "url" }.Select(p => Text(repository, p)).OfType<string>().ToList();
        var deleted = root.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
        return await DispatchAsync(http, new PushEvent(urls, pushedRef, Text(repository, "default_branch")), deleted);
    }

    private static async Task<IResult> HandleGitLabAsync(HttpContext http, ServerOptions settings)
    {
        if (settings.GitLabToken is not { } token)
        {
            return Problem(StatusCodes.Status404NotFound, "GitLab webhooks are not enabled: set CodeGraphRag:Webhooks:GitLabToken");
        }

        if (!WebhookVerifier.IsValidGitLabToken(token, http.Request.Headers["X-Gitlab-Token"].FirstOrDefault()))
        {
            return Problem(StatusCodes.Status401Unauthorized, "missing or invalid X-Gitlab-Token");
        }

        var kind = http.Request.Headers["X-Gitlab-Event"].FirstOrDefault();
        if (kind != "Push Hook")
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, $"unsupported X-Gitlab-Event '{kind}': only Push Hook is handled");
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"payload larger than {MaxBodyBytes} bytes");
        }

        if (!TryParse(body, out var root))
        {
            return Problem(StatusCodes.Status400BadRequest, "the body is not a JSON object");
        }

        if (!root.TryGetProperty("project", out var project) || project.ValueKind != JsonValueKind.Object || Text(root, "ref") is not { } pushedRef)
        {
            return Problem(StatusCodes.Status400BadRequest, "a Push Hook payload needs 'ref' and a 'project' object");
        }

        var urls = new[] { "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url" }.Select(p => Text(project, p)).OfType<string>().ToList();
        var deleted = Text(root, "after") is { } after && after.All(c => c == '0');
        return await DispatchAsync(http, new PushEvent(urls, pushedRef, Text(project, "default_branch")), deleted);
    }

    private static async Task<IResult> DispatchAsync(HttpContext http, PushEvent push, bool deleted)
    {
        if (push.Urls.Count == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "the payload names no repository URL");
        }

        if (push.Branch is not { } branch)
        {
            return Results.Accepted(value: new { status = "ignored", reason = $"'{push.Ref}' is not a branch" });
        }

        if (deleted)
        {
            return Results.Accepted(value: new { status = "ignored", reason = $"branch '{branch}' was deleted" });
        }

        var services = http.RequestServices;
        var catalog = services.GetRequiredService<IRepositoryCatalog>();
        var sources = services.GetRequiredService<RepositorySources>();
        var scheduler = services.GetRequiredService<WebhookSyncScheduler>();
        var pushed = push.Urls.Select(GitUrls.Canonical).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var branches = await sources.GetAllAsync(http.RequestAborted);
        var scheduled = new List<object>();
        foreach (var repository in await catalog.ListRepositoriesAsync(http.RequestAborted))
        {
            if (!RepositorySyncs.IsGitSource(repository.Source) || GitUrls.Canonical(repository.Source) is not { } url || !pushed.Contains(url))
            {
                continue;
            }

            var followed = branches.GetValueOrDefault(repository.Name) ?? push.DefaultBranch;
            if (followed != branch)
            {
                continue;
            }

            var outcome = scheduler.Schedule(repository.Name);
            scheduled.Add(new { repository = repository.Name, sync = outcome == WebhookSyncScheduler.Outcome.Started ? "started" : "queued" });
        }

        return scheduled.Count == 0
            ? Results.Accepted(value: new { status = "ignored", reason = $"no registered repository follows branch '{branch}' of {push.Urls[0]}" })
            : Results.Accepted(value: new { status = "scheduled", repositories = scheduled });
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool TryParse(byte[] body, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }

    private static string? Text(JsonElement element, string property)
        => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static IResult Problem(int status, string detail) => Results.Json(new { status = "rejected", error = detail }, statusCode: status);

    private static int StatusOf(IResult result) => result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
}
