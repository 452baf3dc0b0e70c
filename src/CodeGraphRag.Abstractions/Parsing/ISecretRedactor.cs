namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>Finds secrets in text and replaces their values with a marker.</summary>
/// <remarks>Thread-safe. Runs on every chunk before it is embedded, indexed or stored.</remarks>
public interface ISecretRedactor
{
    /// <summary>Version of the detection rules; a change makes the next sync reprocess every file.</summary>
    string Version { get; }

    /// <summary>Returns <paramref name="text"/> with every detected secret value replaced by a marker such as <c>[REDACTED:aws-access-key]</c>.</summary>
    RedactionResult Redact(string text);
}

/// <summary>The outcome of <see cref="ISecretRedactor.Redact"/>.</summary>
/// <param name="Text">The text with secrets replaced (the same instance when nothing was found).</param>
/// <param name="Findings">The rule ids that matched, one entry per replaced value (never the values).</param>
public sealed record RedactionResult(string Text, IReadOnlyList<string> Findings);
