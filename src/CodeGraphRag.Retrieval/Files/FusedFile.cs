namespace CodeGraphRag.Retrieval.Files;

/// <summary>A file after fusing its chunk rank with its document's lexical rank.</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path.</param>
/// <param name="Score">The fused score.</param>
/// <param name="FromChunks">The chunk ranking's share.</param>
/// <param name="FromLexical">The file-lexical ranking's share.</param>
public sealed record FusedFile(string Repository, string Path, double Score, double FromChunks, double FromLexical);
