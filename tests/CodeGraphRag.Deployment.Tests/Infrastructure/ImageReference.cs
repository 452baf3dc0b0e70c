using System.Text.RegularExpressions;

namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>Container image references: pinned means a digest, or a tag that names a version (not latest, not bare major).</summary>
internal static partial class ImageReference
{
    public static void AssertPinned(string? image, string where)
    {
        Assert.False(string.IsNullOrWhiteSpace(image), $"{where}: no image");
        Assert.False(image!.Contains('$', StringComparison.Ordinal), $"{where}: image '{image}' is not a literal pin");
        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return;
        }

        var tag = Tag(image);
        Assert.False(tag is null, $"{where}: image '{image}' has no tag (means latest)");
        Assert.False(tag == "latest", $"{where}: image '{image}' uses latest");
        Assert.True(VersionPattern().IsMatch(tag!), $"{where}: image tag '{tag}' does not pin a version (major.minor at least)");
    }

    /// <summary>The tag of <c>registry/repo:tag</c>; null when there is none (a colon before the last slash is a port).</summary>
    public static string? Tag(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[(colon + 1)..] : null;
    }

    [GeneratedRegex(@"[0-9]+[.\-][0-9]+")]
    private static partial Regex VersionPattern();
}
