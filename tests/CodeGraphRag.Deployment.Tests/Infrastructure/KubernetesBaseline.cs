namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>The plain manifests in k8s/ (every *.yaml except the kustomization).</summary>
internal static class KubernetesBaseline
{
    public const string Folder = "k8s";

    public static IReadOnlyList<KubernetesObject> Objects { get; } = Load();

    public static IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public static KubernetesObject Deployment(string role) =>
        Assert.Single(OfKind("Deployment"), d => d.Role == role);

    public static Dictionary<string, object?> Container(string role) => Assert.Single(Deployment(role).Containers);

    public static Dictionary<string, object?> ConfigMapData =>
        Yaml.Map(Yaml.At(Assert.Single(OfKind("ConfigMap")).Body, "data"), "k8s ConfigMap data");

    /// <summary>Environment entries of a container: name and the whole entry (value or valueFrom).</summary>
    public static IEnumerable<(string Name, Dictionary<string, object?> Entry)> Environment(Dictionary<string, object?> container) =>
        (container.GetValueOrDefault("env") as List<object?> ?? [])
            .Select(e => Yaml.Map(e, "env entry"))
            .Select(e => (Yaml.Text(e["name"])!, e));

    public static IEnumerable<string> ManifestFiles() =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf(Folder), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

    private static List<KubernetesObject> Load() =>
        ManifestFiles()
            .SelectMany(f => Yaml.LoadAll(f).Select(d => new KubernetesObject(Path.GetFileName(f), Yaml.Map(d, f))))
            .ToList();
}
