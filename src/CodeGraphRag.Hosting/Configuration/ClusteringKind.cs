namespace CodeGraphRag.Hosting.Configuration;

/// <summary>How silos find each other (<c>CodeGraphRag:Cluster:Clustering</c>).</summary>
internal enum ClusteringKind
{
    /// <summary>One silo on this machine (the default).</summary>
    Localhost,

    /// <summary>Membership and grain state in Redis.</summary>
    Redis,
}
