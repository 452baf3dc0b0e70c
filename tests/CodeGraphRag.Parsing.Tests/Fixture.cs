namespace CodeGraphRag.Parsing.Tests;

/// <summary>Reads the source fixtures embedded in this assembly.</summary>
internal static class Fixture
{
    public static string Read(string fileName)
    {
        using var stream = typeof(Fixture).Assembly.GetManifestResourceStream($"Fixtures/{fileName}")
            ?? throw new InvalidOperationException($"Fixture {fileName} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
