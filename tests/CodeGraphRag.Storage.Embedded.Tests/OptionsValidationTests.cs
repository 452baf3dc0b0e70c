using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Embedded.Tests;

public sealed class OptionsValidationTests
{
    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("FilteredExactSearchThreshold", -1, "FilteredExactSearchThreshold must be zero (always the ANN index) or positive")]
    [InlineData("AnnExpansionSearch", 0, "AnnExpansionSearch must be between 1 and 4096")]
    [InlineData("AnnPrecision", 7, "AnnPrecision must be F32, F16 or I8 (was 7)")]
    [InlineData("LexicalPruneMinTerms", -1, "LexicalPruneMinTerms must be zero (off) or positive")]
    [InlineData("LexicalCommonTermShare", 0.0, "LexicalCommonTermShare must be above 0 and at most 1")]
    [InlineData("LexicalCommonTermShare", 1.5, "LexicalCommonTermShare must be above 0 and at most 1")]
    [InlineData("LexicalCommonTermShare", double.NaN, "LexicalCommonTermShare must be above 0 and at most 1")]
    public void Constructor_OutOfRangeSetting_RefusedNamingTheKey(string property, object value, string message)
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        var setter = typeof(EmbeddedStorageOptions).GetProperty(property)!;
        setter.SetValue(options, setter.PropertyType.IsEnum
            ? Enum.ToObject(setter.PropertyType, value)
            : Convert.ChangeType(value, setter.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<ArgumentException>(() => new EmbeddedStore(options));

        Assert.Contains($"CodeGraphRag:Storage:Embedded:{message}", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Constructor_NegativeDenseCatchUpInterval_RefusedNamingTheKey()
    {
        using var directory = new TempDirectory();
        var options = EmbeddedStoreFactory.Options(directory.Path);
        options.DenseCatchUpInterval = TimeSpan.FromSeconds(-1);

        var error = Assert.Throws<ArgumentException>(() => new EmbeddedStore(options));

        Assert.Contains("CodeGraphRag:Storage:Embedded:DenseCatchUpInterval must be zero (searches catch up) or positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task Constructor_EverySettingChanged_TheStoreUsesEachOne()
    {
        using var directory = new TempDirectory();
        var options = new EmbeddedStorageOptions
        {
            DataDirectory = directory.Path,
            ModelId = "model-x",
            Dimensions = 24,
            ExactSearchThreshold = 11,
            DenseCatchUpInterval = TimeSpan.FromSeconds(18),
            FilteredExactSearchThreshold = 12,
            AnnConnectivity = 13,
            AnnExpansionAdd = 14,
            AnnExpansionSearch = 15,
            AnnPrecision = AnnVectorPrecision.I8,
            LexicalPruneMinTerms = 16,
            LexicalCommonTermShare = 0.17,
            LexicalPostings = false,
            SharedWriters = true,
        };

        await using var store = new EmbeddedStore(options);

        // Every public setting, compared by reflection so a setting added later cannot be left out of the store's copy.
        foreach (var property in typeof(EmbeddedStorageOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Equal(property.GetValue(options), property.GetValue(store.Options));
        }

        var defaults = new EmbeddedStorageOptions();
        Assert.All(
            typeof(EmbeddedStorageOptions).GetProperties().Where(p => p.CanWrite && p.Name is not (nameof(EmbeddedStorageOptions.ReadOnly) or nameof(EmbeddedStorageOptions.DataDirectory))),
            p => Assert.NotEqual(p.GetValue(defaults), p.GetValue(options)));
    }
}
