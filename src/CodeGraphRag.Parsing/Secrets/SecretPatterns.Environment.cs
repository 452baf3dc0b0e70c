using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Expressions of the environment-assignment rule.</summary>
internal static partial class SecretPatterns
{
    /// <summary>
    /// An environment-style assignment from where the scan starts (a line start): <c>export NAME=v</c>, dotenv <c>NAME=v</c>,
    /// Dockerfile <c>ENV NAME=v</c>/<c>ARG NAME=v</c>, compose <c>- NAME=v</c>, <c>NAME: v</c>, <c>set NAME=v</c>, PowerShell
    /// <c>$env:NAME = "v"</c>, and code-style <c>name = v</c>. A bare value ends the command word (<c>f(x_pass=y, ...)</c> is code).
    /// </summary>
    [GeneratedRegex(@"\G[ \t]*(?:-[ \t]+)?(?:(?<kw>export|ENV|ARG|set|setx|declare[ \t]+-x|readonly|local)[ \t]+|(?<kw>\$env:))?(?<name>[A-Za-z_][A-Za-z0-9_]{0,100})(?:(?<tight>=)|[ \t]+=[ \t]*|[ \t]*:[ \t]+)(?<v>'[^'\r\n]{0,500}'|""[^""\r\n]{0,500}""|[^\s'""#;,()]{1,500}(?=[\s;&|]|$))", Common, TimeoutMs)]
    public static partial Regex EnvironmentAssignment();

    /// <summary>Dockerfile <c>ENV NAME value</c> (the legacy form without <c>=</c>), the whole line.</summary>
    [GeneratedRegex(@"\G[ \t]*ENV[ \t]+(?<name>[A-Za-z_][A-Za-z0-9_]{0,100})[ \t]+(?<v>'[^'\r\n]{1,500}'|""[^""\r\n]{1,500}""|[^\s'""=]{1,500})[ \t]*\r?$", Common | RegexOptions.Multiline, TimeoutMs)]
    public static partial Regex DockerfileEnvSpaced();
}
