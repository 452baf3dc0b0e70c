using CodeGraphRag.Hosting;
using Orleans.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>Silo settings every CodeGraphRag silo shares (the embedded host and the test clusters).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Grain state in the embedded store, and a response timeout long enough for one file's work: a large file's
    /// chunks are embedded inside its file grain call, which on a busy CPU takes minutes rather than Orleans' default
    /// 30 seconds.
    /// </summary>
    public static ISiloBuilder AddCodeGraphRagSiloDefaults(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddEmbeddedGrainStorage(Constants.GrainStorage);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(15));
        return silo;
    }
}
