namespace CodeGraphRag.Abstractions.Grains;

/// <summary>The one place grain keys are built and taken apart.</summary>
public static class GrainKeys
{
    private const char Separator = '\u001f';

    /// <summary>Key of a repository grain.</summary>
    public static string Repository(string repository) => repository;

    /// <summary>Key of a file grain.</summary>
    public static string File(string repository, string path) => repository + Separator + path;

    /// <summary>Splits a file grain key into repository and path.</summary>
    public static (string Repository, string Path) ParseFile(string key)
    {
        var i = key.IndexOf(Separator, StringComparison.Ordinal);
        if (i < 0)
        {
            throw new ArgumentException($"'{key}' is not a file grain key.", nameof(key));
        }

        return (key[..i], key[(i + 1)..]);
    }
}
