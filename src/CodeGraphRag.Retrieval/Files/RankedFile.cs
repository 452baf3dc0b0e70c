namespace CodeGraphRag.Retrieval.Files;

/// <summary>A file ranked by its chunks.</summary>
/// <param name="Repository">Repository name.</param>
/// <param name="Path">Repository-relative path.</param>
/// <param name="Score">Best chunk plus decaying shares of the next ones.</param>
public sealed record RankedFile(string Repository, string Path, double Score);
