using System.Text.Json.Serialization;

namespace CodeGraphRag.Cli.Output;

/// <summary>
/// Source-generated serialization of <see cref="EvalDocument"/>: indented, snake_case names, the default (strict)
/// encoder, so <c>+</c> in <c>hybrid+graph</c> is written <c>\u002B</c> as it always has been.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EvalDocument))]
internal sealed partial class EvalJsonContext : JsonSerializerContext;
