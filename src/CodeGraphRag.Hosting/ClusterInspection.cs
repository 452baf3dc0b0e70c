using CodeGraphRag.Grains.Embedding;
using CodeGraphRag.Grains.Indexing;
using CodeGraphRag.Grains.Search;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace CodeGraphRag.Hosting;

/// <summary>One live silo as the ClusterStatus RPC and <c>cgr status --cluster</c> show it.</summary>
/// <param name="Address">The silo's address (host:port@generation).</param>
/// <param name="Name">The silo's name.</param>
/// <param name="Status">Its membership status (Active for every silo listed).</param>
/// <param name="Started">When the silo started.</param>
/// <param name="Roles">The roles its grain classes give it (indexer, query, embedder).</param>
/// <param name="Activations">This product's grain activations on the silo, by grain class (RepositoryGrain, FileGrain, SearchGrain, EmbeddingGrain).</param>
public sealed record SiloReport(string Address, string Name, string Status, DateTimeOffset Started, SiloRoles Roles, IReadOnlyDictionary<string, long> Activations)
{
    /// <summary>All of this product's activations on the silo.</summary>
    public long TotalActivations => Activations.Values.Sum();
}

/// <summary>
/// Reads the cluster's live silos, the roles each one's grain classes give it and how many of this product's grains are
/// active on each (Orleans' management grain and cluster manifest): where the repositories and files of a fleet ended up.
/// </summary>
public static class ClusterInspection
{
    /// <summary>The grain classes a role brings (<c>AddCodeGraphRagRoles</c>) and those counted.</summary>
    private static readonly (Type Grain, SiloRoles Role)[] Grains =
    [
        (typeof(RepositoryGrain), SiloRoles.Indexer),
        (typeof(FileGrain), SiloRoles.Indexer),
        (typeof(SearchGrain), SiloRoles.Query),
        (typeof(EmbeddingGrain), SiloRoles.Embedder),
    ];

    /// <summary>The live silos in address order, each with its roles and this product's activations on it.</summary>
    public static async Task<IReadOnlyList<SiloReport>> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var management = services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: true, cancellationToken);
        var statistics = await management.GetSimpleGrainStatistics(cancellationToken);
        var manifest = services.GetRequiredService<IClusterManifestProvider>().Current;
        var resolver = services.GetRequiredService<GrainTypeResolver>();
        var grainTypes = Grains.Select(g => (g.Grain, g.Role, Type: resolver.GetGrainType(g.Grain))).ToList();

        // The statistics name a grain by its class; accept the full name, the short one or the grain type's id.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (grain, _, type) in grainTypes)
        {
            names[grain.FullName!] = grain.Name;
            names[grain.Name] = grain.Name;
            names[type.ToString()!] = grain.Name;
        }

        var reports = new List<SiloReport>(hosts.Length);
        foreach (var host in hosts.OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal))
        {
            var roles = SiloRoles.None;
            if (manifest.Silos.TryGetValue(host.SiloAddress, out var silo))
            {
                foreach (var (_, role, type) in grainTypes)
                {
                    roles |= silo.Grains.ContainsKey(type) ? role : SiloRoles.None;
                }
            }

            var activations = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var statistic in statistics.Where(s => s.SiloAddress.Equals(host.SiloAddress)))
            {
                if (names.TryGetValue(ClassName(statistic.GrainType), out var name) || names.TryGetValue(statistic.GrainType, out name))
                {
                    activations[name] = activations.GetValueOrDefault(name) + statistic.ActivationCount;
                }
            }

            reports.Add(new SiloReport(
                host.SiloAddress.ToParsableString(), host.SiloName, host.Status.ToString(), new DateTimeOffset(host.StartTime, TimeSpan.Zero), roles, activations));
        }

        return reports;
    }

    /// <summary>A type name without its assembly or generic arguments.</summary>
    private static string ClassName(string grainType)
    {
        var end = grainType.IndexOfAny([',', '[', '`']);
        return end < 0 ? grainType : grainType[..end];
    }
}
