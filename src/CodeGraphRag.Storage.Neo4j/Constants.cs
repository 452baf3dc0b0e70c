namespace CodeGraphRag.Storage.Neo4j;

/// <summary>Names shared by the Neo4j backend.</summary>
internal static class Constants
{
    public const string ConfigurationSection = "CodeGraphRag:Storage:Neo4j";
    public const string HttpClientName = "CodeGraphRag.Storage.Neo4j";

    /// <summary>The Query API's header that pins an explicit transaction to one cluster member.</summary>
    public const string ClusterAffinityHeader = "neo4j-cluster-affinity";

    /// <summary>Deepest traversal <see cref="Abstractions.Storage.NeighborQuery.Depth"/> accepted.</summary>
    public const int MaxDepth = Abstractions.Search.SearchLimits.MaxDepth;

    /// <summary>Failed files listed by <c>GetStats</c> (same cap as the embedded store).</summary>
    public const int MaxFailedFilesInStats = 50;

    /// <summary>
    /// Call sites examined per name when looking for callers, in path order. The embedded store examines the 200 nearest
    /// the symbol instead, so for a name called from more places the two stores may name different callers.
    /// </summary>
    public const int MaxCallSitesScanned = 2000;

    /// <summary>Files found through a symbol-name prefix per import (the embedded store stops once it has as many distinct files as asked for).</summary>
    public const int MaxFilesPerImportPrefix = 1000;
}
