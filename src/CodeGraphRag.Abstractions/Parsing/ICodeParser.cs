namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>Parses and chunks one file's decoded text.</summary>
/// <remarks>Implementations are thread-safe and hold no per-file state between calls.</remarks>
public interface ICodeParser
{
    /// <summary>Version of the parsing and chunking rules for <paramref name="language"/>; a change makes the next sync reprocess that language's files.</summary>
    string GetVersion(string language);

    /// <summary>Parses <paramref name="text"/> as the language detected for <paramref name="path"/> and chunks it.</summary>
    /// <param name="path">Repository-relative path with <c>/</c> separators (drives language detection and module names).</param>
    /// <param name="text">The decoded file content.</param>
    /// <param name="cancellationToken">Cancels a long parse.</param>
    /// <returns>The symbols, references and chunks. Never null; a file in an unknown language gets line-window chunks.</returns>
    ParsedFile Parse(string path, string text, CancellationToken cancellationToken = default);
}
