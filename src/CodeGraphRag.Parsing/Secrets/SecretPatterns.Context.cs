using System.Text.RegularExpressions;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Expressions of the context rules for AWS secret keys and credential tables.</summary>
internal static partial class SecretPatterns
{
    /// <summary>The shape of an AWS secret access key: exactly 40 base64 characters, not part of a longer run or padded blob.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9/+=])(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", Common, TimeoutMs)]
    public static partial Regex AwsSecretShape();

    /// <summary>A header cell of a table or CSV file: a short label (Access key ID, Secret access key, password).</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9 _\-]{0,40}$", Common, TimeoutMs)]
    public static partial Regex HeaderLabel();
}
