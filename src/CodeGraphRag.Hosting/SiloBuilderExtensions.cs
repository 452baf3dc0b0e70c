using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Grains.Search;
using CodeGraphRag.Hosting;
using Orleans.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>Silo settings every CodeGraphRag silo shares (the embedded host and the test clusters).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Grain state in the embedded store, and the messaging settings of <see cref="ConfigureMessaging"/>.
    /// </summary>
    public static ISiloBuilder AddCodeGraphRagSiloDefaults(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddEmbeddedGrainStorage(Constants.GrainStorage);
        silo.Configure<SiloMessagingOptions>(ConfigureMessaging);
        return silo;
    }

    /// <summary>
    /// A response timeout long enough for one file's work (a large file's chunks are embedded inside its file grain call,
    /// which on a busy CPU takes minutes rather than Orleans' default 30 seconds), and cancelled calls that complete only
    /// when the callee has answered.
    /// </summary>
    /// <remarks>
    /// CGR: by default a cancelled grain call completes at once while the callee runs on, so a cancelled sync would report
    /// itself stopped while file grains still write.
    /// </remarks>
    public static void ConfigureMessaging(SiloMessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ResponseTimeout = TimeSpan.FromMinutes(15);
        options.WaitForCancellationAcknowledgement = true;
    }

    /// <summary>
    /// Keeps only the grain classes of <paramref name="roles"/> on this silo (Orleans' heterogeneous silos): placement
    /// then puts every embedding grain on an embedder silo, every search grain on a query silo, and so on.
    /// </summary>
    public static ISiloBuilder AddCodeGraphRagRoles(this ISiloBuilder silo, SiloRoles roles)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (roles == SiloRoles.None)
        {
            throw new ArgumentException("A silo needs at least one role (indexer, query, embedder).", nameof(roles));
        }

        silo.Configure<GrainTypeOptions>(o =>
        {
            if (!roles.HasFlag(SiloRoles.Indexer))
            {
                o.Classes.Remove(typeof(RepositoryGrain));
                o.Classes.Remove(typeof(FileGrain));
            }

            if (!roles.HasFlag(SiloRoles.Query))
            {
                o.Classes.Remove(typeof(SearchGrain));
            }

            if (!roles.HasFlag(SiloRoles.Embedder))
            {
                o.Classes.Remove(typeof(EmbeddingGrain));
            }
        });
        return silo;
    }
}
