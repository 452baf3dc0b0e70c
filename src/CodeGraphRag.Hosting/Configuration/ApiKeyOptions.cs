namespace CodeGraphRag.Hosting.Configuration;

/// <summary>One configured API key (<c>CodeGraphRag:Auth:ApiKeys:&lt;i&gt;</c>).</summary>
/// <param name="Key">The secret the caller sends as <c>x-api-key</c>.</param>
/// <param name="Principal">Who the key stands for.</param>
/// <param name="Groups">The principal's groups.</param>
internal sealed record ApiKeyOptions(string Key, string Principal, IReadOnlyList<string> Groups)
{
    /// <summary>The key's principal and groups, never the key itself (safe for logs).</summary>
    public override string ToString() => $"ApiKey {{ Principal = {Principal}, Groups = [{string.Join(", ", Groups)}] }}";
}
