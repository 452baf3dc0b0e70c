using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>Source-generated serialization of <see cref="BenchDocument"/>: one compact line, snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchDocument))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
