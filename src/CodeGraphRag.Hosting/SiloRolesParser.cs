namespace CodeGraphRag.Hosting;

/// <summary>Reads <c>CodeGraphRag:Cluster:Roles</c>: a comma-separated list of <c>indexer</c>, <c>query</c>, <c>embedder</c>.</summary>
public static class SiloRolesParser
{
    /// <summary>Parses the list; empty or null means <see cref="SiloRoles.All"/>.</summary>
    /// <exception cref="FormatException">An unknown role name, naming it and the valid ones.</exception>
    public static SiloRoles Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return SiloRoles.All;
        }

        var roles = SiloRoles.None;
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToUpperInvariant() switch
            {
                "INDEXER" => SiloRoles.Indexer,
                "QUERY" => SiloRoles.Query,
                "EMBEDDER" => SiloRoles.Embedder,
                "ALL" => SiloRoles.All,
                _ => throw new FormatException(
                    $"Unknown silo role '{part}' in CodeGraphRag:Cluster:Roles; use a comma-separated list of indexer, query, embedder."),
            };
        }

        return roles;
    }

    /// <summary>The role names of <paramref name="roles"/> as the setting spells them (indexer, query, embedder), in that order.</summary>
    public static IReadOnlyList<string> Names(SiloRoles roles) =>
        [.. new[] { (SiloRoles.Indexer, "indexer"), (SiloRoles.Query, "query"), (SiloRoles.Embedder, "embedder") }
            .Where(r => roles.HasFlag(r.Item1)).Select(r => r.Item2)];
}
