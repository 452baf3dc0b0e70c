using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>
/// Source-generated serialization of <see cref="SearchDocument"/>: indented, camelCase names. The relaxed encoder search
/// output needs has no attribute form; <see cref="SearchJson"/> adds it to a copy of these options.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SearchDocument))]
internal sealed partial class SearchJsonContext : JsonSerializerContext;
