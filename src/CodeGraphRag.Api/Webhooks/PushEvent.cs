namespace CodeGraphRag.Api.Webhooks;

/// <summary>The parts of a GitHub or GitLab push that matter: the repository's URLs and the pushed branch.</summary>
/// <param name="Urls">Clone and web URLs of the pushed repository.</param>
/// <param name="Ref">The pushed ref (<c>refs/heads/&lt;branch&gt;</c> for branches).</param>
/// <param name="DefaultBranch">The repository's default branch, when the payload names it.</param>
internal sealed record PushEvent(IReadOnlyList<string> Urls, string Ref, string? DefaultBranch)
{
    public const string BranchPrefix = "refs/heads/";

    /// <summary>The branch name, or null for tags and other refs.</summary>
    public string? Branch => Ref.StartsWith(BranchPrefix, StringComparison.Ordinal) ? Ref[BranchPrefix.Length..] : null;
}
