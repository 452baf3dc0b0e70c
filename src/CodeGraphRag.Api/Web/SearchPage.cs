using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace CodeGraphRag.Api.Web;

/// <summary>
/// The search page: a static single page (embedded in this assembly with cytoscape's browser build, so it works offline)
/// served at <c>/</c> and <c>/repositories</c>, its files under <c>/assets/</c>. The page holds no data: it calls the
/// HTTP/JSON routes of the codegraphrag.v1 API (<c>/v1/...</c>), so it has the same authentication, ACLs and audit as
/// every other client.
/// </summary>
internal static class SearchPage
{
    /// <summary>The repositories view (sync state and progress).</summary>
    public const string RepositoriesPath = "/repositories";

    /// <summary>Where the page's scripts, styles and icon are served.</summary>
    public const string AssetsPath = "/assets";

    private const string ResourcePrefix = "cgr-page/";
    private const string IndexFile = "index.html";

    // CGR: only this origin's own files run; no inline script or style, no framing (clickjacking), no referrer (queries
    // in the URL can name code).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = LoadAssets();

    /// <summary>Maps the page's routes.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var index = Assets[IndexFile];
        endpoints.MapGet("/", (HttpContext http) => Serve(http, index)).ExcludeFromDescription();
        endpoints.MapGet(RepositoriesPath, (HttpContext http) => Serve(http, index)).ExcludeFromDescription();
        endpoints.MapGet(AssetsPath + "/{name}", (HttpContext http, string name) =>
                name != IndexFile && Assets.TryGetValue(name, out var asset) ? Serve(http, asset) : Results.NotFound())
            .ExcludeFromDescription();
    }

    /// <summary>The names of the files under <see cref="AssetsPath"/>.</summary>
    internal static IReadOnlyCollection<string> AssetNames => Assets.Keys.Where(k => k != IndexFile).ToList();

    private static IResult Serve(HttpContext http, Asset asset)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(SearchPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"").ToString();
            assets[name] = new Asset(content, ContentType(name), etag);
        }

        if (!assets.ContainsKey(IndexFile))
        {
            throw new InvalidOperationException($"the search page is missing from {assembly.GetName().Name} (embedded resource {ResourcePrefix}{IndexFile})");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
