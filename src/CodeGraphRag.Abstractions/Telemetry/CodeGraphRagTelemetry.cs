using System.Diagnostics;

namespace CodeGraphRag.Abstractions.Telemetry;

/// <summary>
/// The one name of the product's activity source and meter, used by every project that records spans or instruments
/// and by the hosts that export them (next to Orleans' own sources and meters).
/// </summary>
public static class CodeGraphRagTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "CodeGraphRag";

    /// <summary>The activity source every span of the product starts from (gRPC calls, grains, store and embedder calls).</summary>
    public static ActivitySource Source { get; } = new(Name);
}
