using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class OptionsValidationTests
{
    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("FilteredExactSearchThreshold", -1, "FilteredExactSearchThreshold must be zero (always the ANN index) or positive")]
    [InlineData("AnnExpansionSearch", 0, "AnnExpansionSearch must be between 1 and 4096")]
    [InlineData("LexicalPruneMinTerms", -1, "LexicalPruneMinTerms must be zero (off) or positive")]
    [InlineData("LexicalCommonTermShare", 0.0, "LexicalCommonTermShare must be above 0 and at most 1")]
    [InlineData("LexicalCommonTermShare", 1.5, "LexicalCommonTermShare must be above 0 and at most 1")]
    [InlineData("LexicalCommonTermShare", double.NaN, "LexicalCommonTermShare must be above 0 and at most 1")]
    public void Constructor_OutOfRangeSetting_RefusedNamingTheKey(string property, object value, string message)
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        var setter = typeof(EmbeddedStorageOptions).GetProperty(property)!;
        setter.SetValue(options, Convert.ChangeType(value, setter.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<ArgumentException>(() => new EmbeddedStore(options));

        Assert.Contains($"CodeGraphRag:Storage:Embedded:{message}", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }
}
