namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>One object of a manifest file.</summary>
internal sealed record KubernetesObject(string File, Dictionary<string, object?> Body)
{
    public string Kind => Yaml.Text(Body.GetValueOrDefault("kind")) ?? string.Empty;

    public string Name => Yaml.Text(Yaml.At(Body, "metadata", "name")) ?? string.Empty;

    public string Where => $"{File}: {Kind}/{Name}";

    /// <summary>The role a pool object belongs to (label app.kubernetes.io/component).</summary>
    public string? Role => Yaml.Text(Yaml.At(Body, "metadata", "labels", "app.kubernetes.io/component"));

    public Dictionary<string, object?> PodSpec => Yaml.Map(Yaml.At(Body, "spec", "template", "spec"), $"{Where} spec.template.spec");

    public IEnumerable<Dictionary<string, object?>> Containers =>
        Yaml.Seq(PodSpec.GetValueOrDefault("containers"), $"{Where} containers")
            .Concat(PodSpec.GetValueOrDefault("initContainers") as List<object?> ?? [])
            .Select(c => Yaml.Map(c, $"{Where} container"));
}
