namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>The production chart in helm/codegraphrag.</summary>
internal static class HelmChart
{
    public static readonly string Folder = Path.Combine("helm", "codegraphrag");

    public static Dictionary<string, object?> Values { get; } = Yaml.LoadSingle(RepositoryRoot.PathOf(Folder, "values.yaml"));

    public static Dictionary<string, object?> Chart { get; } = Yaml.LoadSingle(RepositoryRoot.PathOf(Folder, "Chart.yaml"));

    public static IReadOnlyList<string> Roles { get; } = ["indexer", "query", "embedder"];

    /// <summary>A value by dotted path, e.g. "roles.query.autoscaling.minReplicas"; fails when it is missing.</summary>
    public static object? Value(string path)
    {
        object? current = Values;
        foreach (var key in path.Split('.'))
        {
            var map = Yaml.Map(current, $"values.yaml {path}");
            Assert.True(map.TryGetValue(key, out current), $"values.yaml has no '{path}' (missing '{key}').");
        }

        return current;
    }

    public static string ValueText(string path) => Yaml.Text(Value(path)) ?? string.Empty;

    /// <summary>Template files (name, text).</summary>
    public static IEnumerable<(string Name, string Text)> Templates() =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf(Folder, "templates"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)));
}
