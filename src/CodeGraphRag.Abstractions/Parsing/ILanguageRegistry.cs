namespace CodeGraphRag.Abstractions.Parsing;

/// <summary>Maps file paths to language ids.</summary>
public interface ILanguageRegistry
{
    /// <summary>The language id for <paramref name="path"/> (by extension or well-known file name), or null when the file is not a known source, markup or config language.</summary>
    string? Detect(string path);
}
