namespace CodeGraphRag.Api.Auth;

/// <summary>Who is calling.</summary>
/// <param name="Principal">The principal's name (<c>anonymous</c> when authentication is off).</param>
/// <param name="Groups">Its groups.</param>
/// <param name="IsAdmin">May register, sync and remove repositories, and reads every repository.</param>
internal sealed record Caller(string Principal, IReadOnlySet<string> Groups, bool IsAdmin)
{
    /// <summary>The caller when authentication is off: may do everything.</summary>
    public static Caller Anonymous { get; } = new("anonymous", new HashSet<string>(StringComparer.Ordinal), IsAdmin: true);

    /// <summary>Whether a repository with these read groups is visible (empty groups: every authenticated caller).</summary>
    public bool CanRead(IReadOnlyList<string> readGroups) => IsAdmin || readGroups.Count == 0 || readGroups.Any(Groups.Contains);
}
